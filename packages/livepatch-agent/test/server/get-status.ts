/**
 * GetStatus end to end: a real agent (`startAgent`) over mutual TLS, fed a real Apply stream.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { makeGenericClientConstructor, type ServiceError } from '@grpc/grpc-js';
import { createLogger, Scrubber } from '@velocity/core';
import t, { type Test } from 'tap';
import { startAgent, type RunningAgent } from '../../src/agent.js';
import {
  loadLivePatchProtocol,
  type ApplyChunk,
  type ApplyResult__Output,
  type GetStatusResponse__Output,
  type LivePatchClient,
} from '../../src/protocol/index.js';
import { createClientCredentials } from '../../src/tls/index.js';
import { createProjectCertificates } from '../tls/helpers/certs.js';

async function startTestAgent(t: Test): Promise<{ agent: RunningAgent; client: LivePatchClient }> {
  const dir = t.testdir({ root: {}, certs: {} });
  const certs = await createProjectCertificates(t);
  const agent = await startAgent({
    root: join(dir, 'root'),
    listen: '127.0.0.1:0',
    certsDir: certs.dir,
    durable: false,
    allowExternalSymlinks: false,
    reloadRules: [{ paths: ['**'], action: 'sync' }],
    rollbackWindowMs: 0,
    stopTimeoutMs: 1000,
    logger: createLogger({ destination: process.stderr, level: 'silent' }),
    scrubber: new Scrubber(),
  });
  t.teardown(() => agent.close());
  const Client = makeGenericClientConstructor(
    loadLivePatchProtocol().livepatch.v1.LivePatch.service,
    'LivePatch',
  );
  const client = new Client(
    `localhost:${agent.port}`,
    createClientCredentials({ ca: certs.ca, cert: certs.client, key: certs.clientKey }),
  ) as unknown as LivePatchClient;
  t.teardown(() => client.close());
  return { agent, client };
}

function getStatus(client: LivePatchClient): Promise<GetStatusResponse__Output> {
  return new Promise((resolve, reject) =>
    client.GetStatus({}, (error: ServiceError | null, response?: GetStatusResponse__Output) =>
      response !== undefined ? resolve(response) : reject(error ?? new Error('no answer')),
    ),
  );
}

/** Sends one batch writing `files` whole. */
function apply(
  client: LivePatchClient,
  batchId: string,
  files: Record<string, string>,
): Promise<ApplyResult__Output> {
  return new Promise((resolve, reject) => {
    const call = client.Apply((error: ServiceError | null, result?: ApplyResult__Output) =>
      result !== undefined ? resolve(result) : reject(error ?? new Error('no answer')),
    );
    const operations = Object.entries(files).map(([path, text]) => {
      const data = Buffer.from(text);
      return {
        operation: {
          path,
          write: {
            encoding: 'CONTENT_ENCODING_WHOLE' as const,
            payloadSize: data.length,
            uncompressedSize: data.length,
            hash: createHash('sha256').update(data).digest(),
            size: data.length,
            mode: 0o644,
          },
        },
        data,
      };
    });
    const chunks: ApplyChunk[] = [
      { header: { batchId, operations: operations.length } },
      { bundle: { operations } },
      { end: {} },
    ];
    for (const chunk of chunks) call.write(chunk);
    call.end();
  });
}

t.test('a fresh agent reports its start and no batch', async (t) => {
  const before = Date.now();
  const { client } = await startTestAgent(t);
  const status = await getStatus(client);
  t.ok(status.startedAtMs >= before && status.startedAtMs <= Date.now(), 'started during the test');
  t.match(status, { batchesApplied: 0, lastBatch: null, events: [] });
});

t.test(
  'after batches: the last one with its counts, latency and reloads, and the events',
  async (t) => {
    const { client } = await startTestAgent(t);
    await apply(client, 'batch-1', { 'a.txt': 'one\n' });
    const before = Date.now();
    const result = await apply(client, 'batch-2', { 'b.txt': 'two!\n', 'c.txt': 'three\n' });
    const status = await getStatus(client);
    t.equal(status.batchesApplied, 2);
    t.match(status.lastBatch, {
      batchId: 'batch-2',
      filesChanged: 2,
      filesDeleted: 0,
      bytesWritten: result.bytesWritten,
      reloads: [{ action: 'sync', ok: true }],
    });
    t.equal(result.bytesWritten, 11, 'the bytes of both files');
    const applied = status.lastBatch?.appliedAtMs ?? 0;
    t.ok(applied >= before && applied <= Date.now(), 'appliedAtMs is when it was written');
    t.ok((status.lastBatch?.latencyMs ?? -1) >= 0, 'latencyMs is set');
    t.strictSame(
      status.events.map(({ stream, kind, batchId }) => [stream, kind, batchId]),
      [
        ['event', 'batch-applied', 'batch-1'],
        ['event', 'reload', 'batch-1'],
        ['event', 'batch-applied', 'batch-2'],
        ['event', 'reload', 'batch-2'],
      ],
    );
    t.match(status.events[2]?.text, '2 changed, 0 deleted, 11 bytes written');
  },
);

t.test('a refused batch is not the last batch applied', async (t) => {
  const { client } = await startTestAgent(t);
  await apply(client, 'good', { 'a.txt': 'a\n' });
  await t.rejects(apply(client, 'bad', { '../escape.txt': 'x\n' }), { code: 3 });
  const status = await getStatus(client);
  t.equal(status.batchesApplied, 1);
  t.equal(status.lastBatch?.batchId, 'good');
});
