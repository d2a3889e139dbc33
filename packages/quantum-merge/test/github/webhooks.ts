import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { WebhookPayloadError, WebhookSignatureError } from '../../src/github/errors.js';
import {
  parseMergeCommand,
  parseWebhookEvent,
  verifyWebhookDelivery,
  type QuantumMergeEvent,
} from '../../src/github/webhooks.js';
import { sendWebhook, signPayload } from '../helpers/fake-github/index.js';

const SECRET = 'webhook-secret';
const repository = { full_name: 'acme/widgets' };
const SHA = 'a'.repeat(40);

t.test('a signed delivery sent over HTTP verifies; a tampered one is rejected', async (t) => {
  const received: Array<{ status: number; event: QuantumMergeEvent | undefined }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const payload = Buffer.concat(chunks).toString('utf8');
      const signature = req.headers['x-hub-signature-256'];
      const deliveryId = req.headers['x-github-delivery'];
      verifyWebhookDelivery(SECRET, {
        payload,
        signature: typeof signature === 'string' ? signature : undefined,
        ...(typeof deliveryId === 'string' ? { deliveryId } : {}),
      }).then(
        () => {
          const event = parseWebhookEvent(String(req.headers['x-github-event']), payload);
          received.push({ status: 202, event });
          res.writeHead(202).end();
        },
        (error: unknown) => {
          t.type(error, WebhookSignatureError);
          received.push({ status: 401, event: undefined });
          res.writeHead(401).end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  const payload = {
    action: 'synchronize',
    repository,
    pull_request: { number: 7, merged: false, base: { ref: 'main' }, head: { sha: SHA } },
  };

  const ok = await sendWebhook({
    url,
    secret: SECRET,
    event: 'pull_request',
    payload,
    deliveryId: 'd-1',
  });
  t.equal(ok.status, 202);
  const wrongSecret = await sendWebhook({ url, secret: 'other', event: 'pull_request', payload });
  t.equal(wrongSecret.status, 401);
  const good = await signPayload(SECRET, JSON.stringify(payload));
  const tampered = await sendWebhook({
    url,
    secret: SECRET,
    event: 'pull_request',
    payload: { ...payload, pull_request: { ...payload.pull_request, number: 8 } },
    signature: good,
  });
  t.equal(tampered.status, 401);
  const unsigned = await sendWebhook({
    url,
    secret: SECRET,
    event: 'pull_request',
    payload,
    signature: 'sha1=abc',
  });
  t.equal(unsigned.status, 401);
  t.strictSame(received[0], {
    status: 202,
    event: {
      kind: 'pull_request',
      action: 'synchronize',
      repo: 'acme/widgets',
      pr: 7,
      base: 'main',
      headSha: SHA,
      merged: false,
    },
  });
  t.equal(received.length, 4);
});

t.test('verifyWebhookDelivery rejects a missing signature and an empty body', async (t) => {
  await t.rejects(
    verifyWebhookDelivery(SECRET, { payload: '{}', signature: undefined, deliveryId: 'x' }),
    {
      code: 'QM_WEBHOOK_SIGNATURE',
      deliveryId: 'x',
    },
  );
  await t.rejects(
    verifyWebhookDelivery(SECRET, { payload: '', signature: 'sha256=00' }),
    WebhookSignatureError,
  );
  await t.resolves(
    verifyWebhookDelivery(SECRET, { payload: '{}', signature: await signPayload(SECRET, '{}') }),
  );
});

t.test('merge commands parse; other text is ignored', async (t) => {
  t.strictSame(parseMergeCommand('/merge'), { action: 'merge' });
  t.strictSame(parseMergeCommand('  /merge  \n'), { action: 'merge' });
  t.strictSame(parseMergeCommand('/merge cancel'), { action: 'cancel' });
  t.strictSame(parseMergeCommand('/merge priority high'), { action: 'priority', priority: 'high' });
  t.strictSame(parseMergeCommand('/merge Priority HIGH'), { action: 'priority', priority: 'high' });
  t.strictSame(parseMergeCommand('LGTM, thanks!\r\n/merge'), { action: 'merge' });
  t.equal(parseMergeCommand('please /merge this'), undefined);
  t.equal(parseMergeCommand('/mergeall'), undefined);
  t.equal(parseMergeCommand('/merge priority urgent'), undefined);
  t.equal(parseMergeCommand('/merge now please'), undefined);
  t.equal(parseMergeCommand('looks good'), undefined);
});

t.test('pull_request events', async (t) => {
  const pull = { number: 3, merged: true, base: { ref: 'main' }, head: { sha: SHA } };
  t.match(
    parseWebhookEvent('pull_request', {
      action: 'labeled',
      repository,
      pull_request: pull,
      label: { name: 'merge-queue' },
    }),
    {
      kind: 'pull_request',
      action: 'labeled',
      label: 'merge-queue',
      merged: false,
    },
  );
  t.match(
    parseWebhookEvent('pull_request', {
      action: 'unlabeled',
      repository,
      pull_request: pull,
      label: { name: 'x' },
    }),
    {
      action: 'unlabeled',
      label: 'x',
    },
  );
  t.match(
    parseWebhookEvent(
      'pull_request',
      JSON.stringify({ action: 'closed', repository, pull_request: pull }),
    ),
    {
      action: 'closed',
      pr: 3,
      merged: true,
    },
  );
  t.equal(
    parseWebhookEvent('pull_request', { action: 'opened', repository, pull_request: pull }),
    undefined,
  );
  t.throws(
    () =>
      parseWebhookEvent('pull_request', {
        action: 'closed',
        repository,
        pull_request: { number: 3 },
      }),
    {
      code: 'QM_WEBHOOK_PAYLOAD',
    },
  );
  t.throws(() => parseWebhookEvent('pull_request', '{not json'), WebhookPayloadError);
  t.throws(() => parseWebhookEvent('pull_request', '[]'), WebhookPayloadError);
  t.equal(parseWebhookEvent('push', { repository }), undefined);
});

t.test('issue_comment events carry merge commands on PRs only', async (t) => {
  const comment = (body: string, pr = true) => ({
    action: 'created',
    repository,
    issue: { number: 5, ...(pr ? { pull_request: { url: 'x' } } : {}) },
    comment: { id: 99, body, user: { login: 'octocat' } },
  });
  t.strictSame(parseWebhookEvent('issue_comment', comment('/merge priority high')), {
    kind: 'merge_command',
    repo: 'acme/widgets',
    pr: 5,
    command: { action: 'priority', priority: 'high' },
    author: 'octocat',
    commentId: 99,
  });
  t.match(parseWebhookEvent('issue_comment', comment('/merge cancel')), {
    command: { action: 'cancel' },
  });
  t.equal(parseWebhookEvent('issue_comment', comment('nice work')), undefined);
  t.equal(
    parseWebhookEvent('issue_comment', comment('/merge', false)),
    undefined,
    'plain issues are ignored',
  );
  t.equal(
    parseWebhookEvent('issue_comment', { ...comment('/merge'), action: 'edited' }),
    undefined,
  );
});

t.test('check_run, check_suite and status events', async (t) => {
  t.strictSame(
    parseWebhookEvent('check_run', {
      action: 'completed',
      repository,
      check_run: {
        head_sha: SHA,
        name: 'ci / test',
        conclusion: 'failure',
        details_url: 'https://ci/1',
      },
    }),
    {
      kind: 'check',
      source: 'check_run',
      repo: 'acme/widgets',
      sha: SHA,
      name: 'ci / test',
      conclusion: 'failure',
      url: 'https://ci/1',
    },
  );
  t.equal(
    parseWebhookEvent('check_run', { action: 'created', repository, check_run: {} }),
    undefined,
  );
  t.match(
    parseWebhookEvent('check_suite', {
      action: 'completed',
      repository,
      check_suite: { head_sha: SHA, conclusion: 'success', app: { slug: 'github-actions' } },
    }),
    {
      kind: 'check',
      source: 'check_suite',
      sha: SHA,
      name: 'github-actions',
      conclusion: 'success',
    },
  );
  t.match(
    parseWebhookEvent('check_suite', {
      action: 'completed',
      repository,
      check_suite: { head_sha: SHA, conclusion: null, app: null },
    }),
    { name: 'check_suite', conclusion: null },
  );
  t.equal(
    parseWebhookEvent('check_suite', { action: 'requested', repository, check_suite: {} }),
    undefined,
  );
  t.strictSame(
    parseWebhookEvent('status', {
      repository,
      sha: SHA,
      state: 'success',
      context: 'ci/jenkins',
      target_url: null,
    }),
    {
      kind: 'status',
      repo: 'acme/widgets',
      sha: SHA,
      context: 'ci/jenkins',
      state: 'success',
      url: undefined,
    },
  );
  t.throws(
    () => parseWebhookEvent('status', { repository, sha: SHA, state: 'weird', context: 'c' }),
    {
      code: 'QM_WEBHOOK_PAYLOAD',
    },
  );
});
