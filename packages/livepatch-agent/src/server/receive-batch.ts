import { gunzipSync } from 'node:zlib';
import { BasisUnavailableError, type Batch, type SymlinkOptions } from '../apply/index.js';
import { applyDelta, computeBasisHash, decodeDelta } from '../delta/index.js';
import type { ApplyChunk__Output, Operation__Output } from '../protocol/index.js';
import { BasisMismatchError, ProtocolError } from './errors.js';

/** What a batch changed, for the reload rules and the tree update (root-relative POSIX paths). */
export interface ReceivedBatch {
  batchId: string;
  /** Every path written, removed, renamed (both names), made or changed in mode. */
  changedPaths: string[];
  /** Files written, counted for the result. */
  filesChanged: number;
  filesDeleted: number;
}

/** Bounds on what one Apply stream may carry. */
export interface ReceiveLimits {
  /** Most bytes of one operation's payload, and of one decompressed payload. */
  maxPayloadBytes: number;
  /** Most operations in one batch. */
  maxOperations: number;
}

/**
 * Reads one Apply stream (header; operations, each followed by its payload in data chunks or bundled with
 * it; end) and stages every operation into `batch`; the caller commits.
 *
 * @remarks
 * Payloads are collected per operation (bounded by `maxPayloadBytes`, decompressed sizes too), then turned
 * into the file's new content by their encoding: whole; an rsync delta applied to the agent's current file
 * (the basis), after checking the basis hash the CLI computed its delta against; an append to the basis;
 * or a copy of another file of the tree. Every new content is verified against the operation's whole-file
 * SHA-256 and size by the batch. All basis mismatches are collected before failing, so the CLI can fetch
 * every fresh signature it needs in one round trip.
 *
 * @throws {@link ProtocolError} when the stream is out of order or over a limit (INVALID_ARGUMENT)
 * @throws {@link BasisMismatchError} listing every path whose basis is not what the CLI assumed
 *   (FAILED_PRECONDITION)
 * @throws the batch's staging errors (unsafe path, size limit, content mismatch)
 * @param symlinks - whether links may point outside the root
 */
export async function receiveBatch(
  chunks: AsyncIterable<ApplyChunk__Output>,
  batch: (batchId: string) => Promise<Batch>,
  limits: ReceiveLimits,
  symlinks: SymlinkOptions = {},
): Promise<{ batch: Batch; received: ReceivedBatch }> {
  const iterator = chunks[Symbol.asyncIterator]();
  const next = async (): Promise<ApplyChunk__Output | undefined> => {
    const result = await iterator.next();
    return result.done === true ? undefined : result.value;
  };
  const first = await next();
  if (first?.header == null) throw new ProtocolError('An Apply stream must start with a header.');
  const { batchId } = first.header;
  const staged = await batch(batchId);
  const received: ReceivedBatch = { batchId, changedPaths: [], filesChanged: 0, filesDeleted: 0 };
  const mismatches: string[] = [];
  let operations = 0;
  /** Counts an operation against the limits; returns its announced payload size. */
  const admit = (operation: Operation__Output): number => {
    operations += 1;
    if (operations > limits.maxOperations) {
      throw new ProtocolError(`A batch may hold at most ${limits.maxOperations} operations.`);
    }
    const size = operation.write?.payloadSize ?? 0;
    if (size > limits.maxPayloadBytes) {
      throw new ProtocolError(
        `The payload of "${operation.path}" (${size} bytes) is over the limit of ${limits.maxPayloadBytes} bytes.`,
      );
    }
    return size;
  };
  const stage = async (operation: Operation__Output, payload: Buffer): Promise<void> => {
    if (await stageOperation(staged, operation, payload, { limits, symlinks, received })) {
      mismatches.push(operation.path);
    }
  };
  let pending: ApplyChunk__Output | undefined = await next();
  try {
    for (;;) {
      const chunk = pending;
      if (chunk === undefined) throw new ProtocolError('The Apply stream ended without its end.');
      if (chunk.end != null) break;
      if (chunk.bundle != null) {
        for (const inline of chunk.bundle.operations) {
          const operation = inline.operation;
          if (operation == null) throw new ProtocolError('A bundled operation is empty.');
          if (inline.data.length !== admit(operation)) {
            throw new ProtocolError(
              `The bundled payload of "${operation.path}" is not its announced size.`,
            );
          }
          await stage(operation, inline.data);
        }
        pending = await next();
        continue;
      }
      if (chunk.operation == null)
        throw new ProtocolError(`Unexpected "${chunk.part ?? 'empty'}" chunk.`);
      const operation = chunk.operation;
      const size = admit(operation);
      const parts: Buffer[] = [];
      let got = 0;
      for (;;) {
        pending = await next();
        if (pending?.data == null || pending.part !== 'data') break;
        got += pending.data.length;
        if (got > size)
          throw new ProtocolError(`More payload than announced for "${operation.path}".`);
        parts.push(pending.data);
      }
      if (got !== size) throw new ProtocolError(`Payload of "${operation.path}" cut short.`);
      await stage(operation, Buffer.concat(parts));
    }
    if (mismatches.length > 0) throw new BasisMismatchError(mismatches);
    if ((await next()) !== undefined) throw new ProtocolError('Chunks after the end of the batch.');
  } catch (error) {
    await staged.abort();
    throw error;
  }
  return { batch: staged, received };
}

/** Stages one operation; returns true when its basis is not the one the CLI assumed. */
async function stageOperation(
  batch: Batch,
  operation: Operation__Output,
  payload: Buffer,
  context: { limits: ReceiveLimits; symlinks: SymlinkOptions; received: ReceivedBatch },
): Promise<boolean> {
  const { limits, symlinks, received } = context;
  const { path } = operation;
  received.changedPaths.push(path);
  switch (operation.change) {
    case 'write': {
      const write = operation.write;
      if (write == null) break;
      const content = await newContent(batch, path, write, payload, limits);
      if (content === undefined) return true;
      await batch.writeFile(path, content, {
        mode: write.mode,
        expectedSize: write.size,
        expectedHash: write.hash,
      });
      received.filesChanged += 1;
      return false;
    }
    case 'remove':
      await batch.remove(path);
      received.filesDeleted += 1;
      return false;
    case 'rename':
      await batch.rename(operation.rename?.from ?? '', path);
      received.changedPaths.push(operation.rename?.from ?? '');
      received.filesChanged += 1;
      return false;
    case 'mkdir':
      await batch.mkdir(path, operation.mkdir?.mode ?? 0o755);
      return false;
    case 'symlink':
      await batch.symlink(path, operation.symlink?.target ?? '', symlinks);
      received.filesChanged += 1;
      return false;
    case 'chmod':
      await batch.chmod(path, operation.chmod?.mode ?? 0o644);
      received.filesChanged += 1;
      return false;
    case undefined:
      break;
  }
  throw new ProtocolError(`Operation on "${path}" names no change.`);
}

/** The new content of a written file, or `undefined` when its basis is not the expected one. */
async function newContent(
  batch: Batch,
  path: string,
  write: NonNullable<Operation__Output['write']>,
  payload: Buffer,
  limits: ReceiveLimits,
): Promise<Uint8Array | undefined> {
  const data =
    write.compression === 'COMPRESSION_GZIP'
      ? inflate(path, payload, Math.min(write.uncompressedSize, limits.maxPayloadBytes))
      : payload;
  const basisFor = async (basisPath: string): Promise<Uint8Array | undefined> => {
    let basis: Uint8Array;
    try {
      basis = await batch.readBasis(basisPath);
    } catch (error) {
      if (error instanceof BasisUnavailableError) return undefined;
      throw error;
    }
    return Buffer.from(computeBasisHash(basis)).equals(write.basisHash) ? basis : undefined;
  };
  switch (write.encoding) {
    case 'CONTENT_ENCODING_WHOLE':
      return data;
    case 'CONTENT_ENCODING_DELTA': {
      const basis = await basisFor(path);
      if (basis === undefined) return undefined;
      return applyDelta(basis, decodeDelta(data), { maxSize: limits.maxPayloadBytes });
    }
    case 'CONTENT_ENCODING_APPEND': {
      const basis = await basisFor(path);
      if (basis === undefined) return undefined;
      return Buffer.concat([basis, data]);
    }
    case 'CONTENT_ENCODING_COPY':
      // The source's content is checked against the written hash by the batch.
      return batch.readBasis(write.source);
    case 'CONTENT_ENCODING_UNSPECIFIED':
      break;
  }
  throw new ProtocolError(`The write of "${path}" has no content encoding.`);
}

function inflate(path: string, payload: Buffer, maxOutputLength: number): Buffer {
  try {
    return gunzipSync(payload, { maxOutputLength });
  } catch (error) {
    throw new ProtocolError(
      `The compressed payload of "${path}" does not inflate within ${maxOutputLength} bytes.`,
      { cause: error },
    );
  }
}
