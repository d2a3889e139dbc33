import { generateKeyPairSync, sign } from 'node:crypto';
import t from 'tap';
import type { Test } from 'tap';
import { GitHubClientFactory, parseRepositoryName } from '../../src/github/auth.js';
import {
  GitHubApiError,
  GitHubAppNotInstalledError,
  GitHubCredentialsMissingError,
  RepositoryMismatchError,
} from '../../src/github/errors.js';
import { GitHubSpeculativeMerger } from '../../src/github/speculative-merger.js';
import { startFakeGitHub } from '../helpers/fake-github/index.js';

const APP_ID = 1234;
const noop = (): void => {};
// Octokit logs every failed request; the assertions check them instead.
const logger = { debug: noop, info: noop, warn: noop, error: noop };

/** An RSA key as GitHub issues App keys: PKCS#1 PEM. */
function rsaKey(): string {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
}

const PRIVATE_KEY = rsaKey();

function jwt(
  claims: Record<string, unknown>,
  options: { key?: string; alg?: string } = {},
): string {
  const encode = (value: object): string =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const data = `${encode({ alg: options.alg ?? 'RS256', typ: 'JWT' })}.${encode(claims)}`;
  const signature = sign('sha256', Buffer.from(data), options.key ?? PRIVATE_KEY);
  return `${data}.${signature.toString('base64url')}`;
}

async function setup(t: Test) {
  const fake = await startFakeGitHub({ app: { id: APP_ID, privateKey: PRIVATE_KEY } });
  t.teardown(() => fake.close());
  return fake;
}

t.test(
  'App mode: the installation is looked up with a JWT and its token is used for real calls',
  async (t) => {
    const fake = await setup(t);
    const pr = await fake.addPullRequest({ files: { 'a.txt': 'a\n' }, title: 'Add a' });
    const factory = new GitHubClientFactory({
      appId: APP_ID,
      privateKey: PRIVATE_KEY,
      baseUrl: fake.url,
      logger,
    });
    t.equal(factory.mode, 'app');

    const octokit = await factory.getOctokit(fake.fullName);
    const { data } = await octokit.rest.pulls.get({
      owner: 'acme',
      repo: 'widgets',
      pull_number: pr.number,
    });
    t.equal(data.title, 'Add a');
    const merger = new GitHubSpeculativeMerger({ octokit, repo: fake.fullName });
    t.equal(
      await merger.baseSha({ repo: fake.fullName, base: 'main' }),
      await fake.branchSha('main'),
    );

    t.equal(await factory.getOctokit(fake.fullName), octokit, 'one client per installation');
    t.equal(fake.installationTokensIssued, 1, 'the installation token is cached');
    t.match(fake.requests, [
      { method: 'GET', path: '/repos/acme/widgets/installation', status: 200 },
      {
        method: 'POST',
        path: `/app/installations/${fake.installationId}/access_tokens`,
        status: 201,
      },
      { method: 'GET', path: `/repos/acme/widgets/pulls/${pr.number}`, status: 200 },
      { method: 'GET', path: '/repos/acme/widgets/git/ref/heads/main', status: 200 },
    ]);
    t.equal(fake.requests.length, 4, 'the installation is looked up once');
  },
);

t.test('the fake verifies App JWTs for real', async (t) => {
  const fake = await setup(t);
  const now = Math.floor(Date.now() / 1000);
  const valid = { iat: now - 30, exp: now + 540, iss: APP_ID };
  const installation = (token: string): Promise<Response> =>
    fetch(`${fake.url}/repos/acme/widgets/installation`, {
      headers: { authorization: `Bearer ${token}` },
    });

  t.equal((await installation(jwt(valid))).status, 200, 'iss as a number');
  t.equal(
    (await installation(jwt({ ...valid, iss: String(APP_ID) }))).status,
    200,
    'iss as a string',
  );
  t.equal((await installation(jwt(valid, { key: rsaKey() }))).status, 401, 'another key');
  t.equal((await installation(jwt({ ...valid, iss: APP_ID + 1 }))).status, 401, 'another App');
  t.equal((await installation(jwt({ ...valid, exp: now - 1 }))).status, 401, 'expired');
  t.equal((await installation(jwt({ ...valid, exp: now + 3600 }))).status, 401, 'exp too far');
  t.equal((await installation(jwt({ ...valid, iat: now + 300 }))).status, 401, 'iat in the future');
  t.equal((await installation(jwt(valid, { alg: 'HS256' }))).status, 401, 'another algorithm');
  const [header = '', payload = ''] = jwt(valid).split('.');
  const forged = Buffer.from(JSON.stringify({ ...valid, iss: APP_ID, exp: now + 599 }));
  t.equal(
    (await installation(`${header}.${forged.toString('base64url')}.${jwt(valid).split('.')[2]}`))
      .status,
    401,
    'claims changed after signing',
  );
  t.equal((await installation(`${header}.${payload}`)).status, 401, 'no signature');
  t.equal((await installation('test-token')).status, 401, 'a token is not a JWT');

  const token = await fetch(`${fake.url}/app/installations/${fake.installationId}/access_tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${jwt(valid)}` },
  });
  t.equal(token.status, 201);
  const issued = (await token.json()) as { token: string; expires_at: string };
  t.match(issued, { token: /^ghs_/, expires_at: String });
  t.ok(Date.parse(issued.expires_at) > Date.now());
  const pulls = await fetch(`${fake.url}/repos/acme/widgets/git/ref/heads/main`, {
    headers: { authorization: `token ${issued.token}` },
  });
  t.equal(pulls.status, 200, 'the installation token works on repository endpoints');
  const asJwt = await fetch(`${fake.url}/repos/acme/widgets/git/ref/heads/main`, {
    headers: { authorization: `Bearer ${jwt(valid)}` },
  });
  t.equal(asJwt.status, 401, 'a JWT does not work on repository endpoints');
  const other = await fetch(`${fake.url}/app/installations/1/access_tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${jwt(valid)}` },
  });
  t.equal(other.status, 404, 'no token for another installation');
  t.equal(fake.installationTokensIssued, 1);
});

t.test('a wrong private key fails the lookup with HTTP 401 and issues no token', async (t) => {
  const fake = await setup(t);
  const factory = new GitHubClientFactory({
    appId: APP_ID,
    privateKey: rsaKey(),
    baseUrl: fake.url,
    logger,
  });
  const error = await factory.getOctokit(fake.fullName).catch((e: unknown) => e);
  t.type(error, GitHubApiError);
  t.match(error, { code: 'QM_GITHUB_API', status: 401 });
  t.match((error as Error).message, 'A JSON web token could not be decoded');
  t.notMatch((error as Error).message, /PRIVATE KEY|eyJ/);
  t.equal(fake.installationTokensIssued, 0);
});

t.test(
  'an App not installed on the repository is a typed error; a later call retries',
  async (t) => {
    const fake = await setup(t);
    fake.appInstalled = false;
    const factory = new GitHubClientFactory({
      appId: APP_ID,
      privateKey: PRIVATE_KEY,
      baseUrl: fake.url,
      logger,
    });
    const error = await factory.getOctokit(fake.fullName).catch((e: unknown) => e);
    t.type(error, GitHubAppNotInstalledError);
    t.match(error, { code: 'QM_GITHUB_APP_NOT_INSTALLED', repo: 'acme/widgets', appId: APP_ID });
    t.match((error as Error).message, /"acme\/widgets".*Install the App/);

    fake.appInstalled = true;
    const octokit = await factory.getOctokit(fake.fullName);
    const { data } = await octokit.rest.git.getRef({
      owner: 'acme',
      repo: 'widgets',
      ref: 'heads/main',
    });
    t.equal(data.object.sha, await fake.branchSha('main'));
    t.equal(fake.requestsTo('GET', /\/installation$/).length, 2);
  },
);

t.test('token mode: one client with the token for every repository', async (t) => {
  const fake = await setup(t);
  for (const options of [
    { token: 'test-token' },
    { token: 'test-token', appId: APP_ID, privateKey: PRIVATE_KEY },
  ]) {
    const factory = new GitHubClientFactory({ ...options, baseUrl: fake.url, logger });
    t.equal(factory.mode, 'token');
    const octokit = await factory.getOctokit(fake.fullName);
    t.equal(await factory.getOctokit('other/repo'), octokit);
    const { data } = await octokit.rest.git.getRef({
      owner: 'acme',
      repo: 'widgets',
      ref: 'heads/main',
    });
    t.equal(data.object.sha, await fake.branchSha('main'));
  }
  t.equal(fake.requestsTo('GET', /\/installation$/).length, 0);
  t.equal(fake.installationTokensIssued, 0);
});

t.test('missing credentials name the config keys to set', async (t) => {
  const cases = [
    [{}, ['quantumMerge.githubToken', 'quantumMerge.appId', 'quantumMerge.privateKey']],
    [{ token: '' }, ['quantumMerge.githubToken', 'quantumMerge.appId', 'quantumMerge.privateKey']],
    [{ appId: APP_ID }, ['quantumMerge.privateKey']],
    [{ privateKey: PRIVATE_KEY }, ['quantumMerge.appId']],
  ] as const;
  for (const [options, missingKeys] of cases) {
    const error = t.throws(() => new GitHubClientFactory(options));
    t.type(error, GitHubCredentialsMissingError);
    t.match(error, { code: 'QM_GITHUB_CREDENTIALS_MISSING', exitCode: 2, missingKeys });
    t.match((error as Error).message, 'Set quantumMerge.appId and quantumMerge.privateKey');
    t.match((error as Error).message, 'or quantumMerge.githubToken');
  }
});

t.test('repository names must be owner/name', async (t) => {
  t.strictSame(parseRepositoryName('acme/widgets'), { owner: 'acme', name: 'widgets' });
  for (const bad of ['acme', 'acme/', '/widgets', 'a/b/c']) {
    t.throws(() => parseRepositoryName(bad), RepositoryMismatchError);
  }
  const factory = new GitHubClientFactory({ appId: APP_ID, privateKey: PRIVATE_KEY, logger });
  await t.rejects(factory.getOctokit('acme'), { code: 'QM_REPOSITORY_MISMATCH' });
});
