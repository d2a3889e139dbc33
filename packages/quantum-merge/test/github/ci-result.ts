import { Octokit } from '@octokit/rest';
import t from 'tap';
import { readCiResult } from '../../src/github/ci-result.js';
import { startFakeGitHub } from '../helpers/fake-github/index.js';

const noop = (): void => {};
const log = { debug: noop, info: noop, warn: noop, error: noop };

t.test('a speculative build is decided by its required checks only', async (t) => {
  const fake = await startFakeGitHub();
  t.teardown(() => fake.close());
  const octokit = new Octokit({ auth: 'test-token', baseUrl: fake.url, log });
  const sha = await fake.branchSha('main');
  const result = (required: readonly string[]) =>
    readCiResult(octokit, fake.fullName, sha, required);

  t.strictSame(await result(['test']), { outcome: 'pending' }, 'nothing ran yet');
  t.strictSame(await result([]), { outcome: 'pending' }, 'no required checks never passes');
  await fake.addCheckRun(sha, { name: 'lint', conclusion: 'failure' });
  t.strictSame(
    await result(['test']),
    { outcome: 'pending' },
    'a check that is not required is ignored',
  );
  await fake.addCheckRun(sha, { name: 'test', status: 'in_progress' });
  t.strictSame(await result(['test']), { outcome: 'pending' });
  await fake.addCheckRun(sha, {
    name: 'test',
    conclusion: 'success',
    detailsUrl: 'https://ci.example/1',
  });
  t.match(await result(['test']), { outcome: 'passed' });
  t.strictSame(
    await result(['test', 'e2e']),
    { outcome: 'pending' },
    'every required check must pass',
  );
  await fake.addStatus(sha, { context: 'e2e', state: 'success' });
  t.match(await result(['test', 'e2e']), { outcome: 'passed' }, 'a commit status counts too');
  await fake.addStatus(sha, {
    context: 'e2e',
    state: 'error',
    targetUrl: 'https://ci.example/e2e',
  });
  t.match(await result(['test', 'e2e']), {
    outcome: 'failed',
    reason: 'check "e2e" ended error',
    url: 'https://ci.example/e2e',
  });
  await fake.addCheckRun(sha, { name: 'test', conclusion: 'timed_out' });
  t.match(
    await result(['test']),
    { outcome: 'failed', reason: 'check "test" ended timed_out' },
    'the latest run wins',
  );
});
