import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { beginBatch } from '../../src/apply/index.js';
import type { ApplyChunk__Output, Operation__Output } from '../../src/protocol/index.js';
import { BasisMismatchError, ProtocolError } from '../../src/server/errors.js';
import { receiveBatch, type ReceiveLimits } from '../../src/server/receive-batch.js';
import { sha256, snapshotTree, visibleTree } from '../apply/helpers/tree.js';

const limits: ReceiveLimits = { maxPayloadBytes: 1024 * 1024, maxOperations: 100 };

/** A whole-file write operation of `content` to `path`, as the decoded protobuf gives it. */
function write(path: string, content: Buffer, mode = 0o644): Operation__Output {
  return {
    path,
    change: 'write',
    write: {
      encoding: 'CONTENT_ENCODING_WHOLE',
      compression: 'COMPRESSION_NONE',
      payloadSize: content.length,
      uncompressedSize: content.length,
      basisHash: Buffer.alloc(0),
      source: '',
      hash: sha256(content),
      size: content.length,
      mode,
    },
  };
}

function bundle(...operations: Array<[Operation__Output, Buffer]>): ApplyChunk__Output {
  return {
    part: 'bundle',
    bundle: { operations: operations.map(([operation, data]) => ({ operation, data })) },
  };
}

const header = { part: 'header', header: { batchId: 'b1', operations: 0 } } as ApplyChunk__Output;
const end = { part: 'end', end: {} } as ApplyChunk__Output;

async function* stream(chunks: ApplyChunk__Output[]): AsyncGenerator<ApplyChunk__Output> {
  yield* chunks;
}

t.test('bundled and chunked operations are staged in stream order', async (t) => {
  const root = t.testdir({ old: 'x' });
  const small = Buffer.from('small\n');
  const large = Buffer.alloc(3000, 7);
  const { batch, received } = await receiveBatch(
    stream([
      header,
      bundle(
        [write('a.txt', small), small],
        [{ path: 'old', change: 'remove', remove: {} }, Buffer.alloc(0)],
      ),
      { part: 'operation', operation: write('big.bin', large) },
      { part: 'data', data: large.subarray(0, 1000) },
      { part: 'data', data: large.subarray(1000) },
      bundle([write('a.txt', Buffer.from('again\n')), Buffer.from('again\n')]),
      end,
    ]),
    (batchId) => beginBatch({ root, batchId }),
    limits,
  );
  await batch.commit();
  t.strictSame(received.changedPaths, ['a.txt', 'old', 'big.bin', 'a.txt']);
  t.equal(received.filesChanged, 3);
  t.equal(received.filesDeleted, 1);
  t.equal(readFileSync(join(root, 'a.txt'), 'utf8'), 'again\n', 'the later write wins');
  t.same(readFileSync(join(root, 'big.bin')), large);
  t.strictSame(Object.keys(visibleTree(root)).sort(), ['a.txt', 'big.bin'], 'old is removed');
});

t.test('a bundled payload that is not its announced size changes nothing', async (t) => {
  const root = t.testdir({ keep: 'k' });
  const before = snapshotTree(root);
  const operation = write('a.txt', Buffer.from('four'));
  await t.rejects(
    receiveBatch(
      stream([header, bundle([operation, Buffer.from('five!')]), end]),
      (batchId) => beginBatch({ root, batchId }),
      limits,
    ),
    new ProtocolError('The bundled payload of "a.txt" is not its announced size.'),
  );
  t.strictSame(snapshotTree(root), before);
});

t.test('operations in bundles count against the operation limit', async (t) => {
  const root = t.testdir({});
  const empty = Buffer.alloc(0);
  const many = Array.from(
    { length: 3 },
    (_, at) => [write(`f${at}`, empty), empty] as [Operation__Output, Buffer],
  );
  await t.rejects(
    receiveBatch(
      stream([header, bundle(...many), end]),
      (batchId) => beginBatch({ root, batchId }),
      { ...limits, maxOperations: 2 },
    ),
    ProtocolError,
  );
  t.strictSame(snapshotTree(root), {});
});

t.test('an empty bundled operation and a missing end are protocol errors', async (t) => {
  const root = t.testdir({});
  const open = (batchId: string) => beginBatch({ root, batchId });
  await t.rejects(
    receiveBatch(
      stream([
        header,
        {
          part: 'bundle',
          bundle: { operations: [{ data: Buffer.alloc(0) }] },
        } as ApplyChunk__Output,
        end,
      ]),
      open,
      limits,
    ),
    new ProtocolError('A bundled operation is empty.'),
  );
  const small = Buffer.from('x');
  await t.rejects(
    receiveBatch(stream([header, bundle([write('a', small), small])]), open, limits),
    new ProtocolError('The Apply stream ended without its end.'),
  );
  t.strictSame(snapshotTree(root), {});
});

t.test('every bundled delta against an unexpected basis is reported at once', async (t) => {
  const root = t.testdir({ 'a.txt': 'agent a', 'b.txt': 'agent b' });
  const delta = (path: string): [Operation__Output, Buffer] => {
    const operation = write(path, Buffer.from('new'));
    const data = Buffer.from('new');
    return [
      {
        ...operation,
        write: {
          ...operation.write,
          encoding: 'CONTENT_ENCODING_APPEND',
          basisHash: sha256('what the CLI assumed'),
        },
      } as Operation__Output,
      data,
    ];
  };
  const error = await receiveBatch(
    stream([header, bundle(delta('a.txt'), delta('b.txt')), end]),
    (batchId) => beginBatch({ root, batchId }),
    limits,
  ).catch((caught: unknown) => caught);
  t.type(error, BasisMismatchError);
  t.strictSame((error as BasisMismatchError).paths, ['a.txt', 'b.txt']);
  t.equal(readFileSync(join(root, 'a.txt'), 'utf8'), 'agent a');
});
