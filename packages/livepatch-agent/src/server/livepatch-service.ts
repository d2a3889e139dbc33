import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerErrorResponse } from '@grpc/grpc-js';
import type { Logger } from '@velocity/core';
import { beginBatch, validatePath } from '../apply/index.js';
import { computeBasisHash, computeSignature, encodeSignature } from '../delta/index.js';
import type { AgentEventBus } from '../events/index.js';
import type { LivePatchHandlers } from '../protocol/index.js';
import type { FileSignature } from '../protocol/generated/livepatch/v1/FileSignature.js';
import type { Reloader } from '../reload/index.js';
import {
  answerTreeQuery,
  createIgnoreMatcher,
  HashCache,
  scanTree,
  updateTree,
  type IgnoreMatcher,
  type TreeSnapshot,
} from '../tree/index.js';
import { AgentStatusTracker } from './agent-status.js';
import { toServiceError } from './errors.js';
import { receiveBatch, type ReceiveLimits } from './receive-batch.js';

/** Options of {@link createLivePatchService}. */
export interface LivePatchServiceOptions {
  /** The directory the agent mirrors into (absolute). */
  root: string;
  events: AgentEventBus;
  reloader: Reloader;
  logger: Logger;
  /** fsync written files and their directories before a batch is acknowledged. */
  durable: boolean;
  /** Symbolic links may point outside the root. */
  allowExternalSymlinks: boolean;
  limits: ReceiveLimits;
}

/** The service and what it holds open. */
export interface LivePatchService {
  handlers: LivePatchHandlers;
  /** Waits for the batch in progress and the reloads it started. */
  close(): Promise<void>;
}

/**
 * The agent's side of `livepatch.v1.LivePatch`: tree listings, signatures, atomic batches followed by the
 * reload rules, the log stream, and the status (see {@link AgentStatusTracker}).
 *
 * @remarks
 * Batches are applied one at a time, in arrival order, each after the previous batch's reloads and
 * rollback window settled. The agent's tree snapshot is rescanned for every GetTree (files are re-hashed
 * only when their size, times or inode changed) and updated incrementally after each batch, so the root
 * hash of the result costs only the changed paths. The ignore rules come with GetTree (the CLI's), and
 * apply until the next GetTree names others.
 */
export function createLivePatchService(options: LivePatchServiceOptions): LivePatchService {
  const { root, events, reloader, logger } = options;
  const hashCache = new HashCache();
  let rulesKey = '';
  let fullModes = false;
  let ignore: IgnoreMatcher = createIgnoreMatcher();
  let snapshot: TreeSnapshot | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const status = new AgentStatusTracker({ events });
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  const handlers: LivePatchHandlers = {
    GetTree(call, callback) {
      const request = call.request;
      void serial(async () => {
        const key = JSON.stringify([request.ignore, request.fullModes]);
        if (key !== rulesKey) {
          rulesKey = key;
          fullModes = request.fullModes;
          ignore = createIgnoreMatcher({
            files: request.ignore.map(({ directory, text }) => ({ directory, text })),
          });
        }
        snapshot = await scanTree(root, { ignore, fullModes, hashCache, logger });
        return answerTreeQuery(
          snapshot,
          request.directories.map(({ path, hash }) => ({ path, hash })),
        );
      }).then(
        (directories) => callback(null, { directories }),
        (error: unknown) => callback(toServiceError(error) as ServerErrorResponse),
      );
    },

    GetSignatures(call, callback) {
      Promise.all(call.request.paths.map((path) => signatureOf(root, path))).then(
        (signatures) => callback(null, { signatures }),
        (error: unknown) => callback(toServiceError(error) as ServerErrorResponse),
      );
    },

    Apply(call, callback) {
      void serial(async () => {
        const started = performance.now();
        await reloader.settle();
        const { batch, received } = await receiveBatch(
          call,
          (batchId) => beginBatch({ root, batchId, durable: options.durable, logger }),
          options.limits,
          { allowOutsideRoot: options.allowExternalSymlinks },
        );
        const committed = await batch.commit();
        events.event(
          'batch-applied',
          `${received.filesChanged} changed, ${received.filesDeleted} deleted, ${committed.bytesWritten} bytes written`,
          received.batchId,
        );
        if (snapshot !== undefined) {
          snapshot = await updateTree(snapshot, received.changedPaths, { ignore, hashCache });
        }
        const appliedAtMs = Date.now();
        const reloads = await reloader.afterBatch({
          batchId: received.batchId,
          changedPaths: received.changedPaths,
          undo: () => committed.undo(),
          release: () => committed.release(),
        });
        status.batchApplied({
          batchId: received.batchId,
          appliedAtMs,
          filesChanged: received.filesChanged,
          filesDeleted: received.filesDeleted,
          bytesWritten: committed.bytesWritten,
          latencyMs: Math.round(performance.now() - started),
          reloads,
        });
        return {
          batchId: received.batchId,
          filesChanged: received.filesChanged,
          filesDeleted: received.filesDeleted,
          bytesWritten: committed.bytesWritten,
          reloads,
          rootHash: snapshot?.rootHash ?? Buffer.alloc(0),
        };
      }).then(
        (result) => callback(null, result),
        (error: unknown) => {
          logger.warn('Batch refused', { error });
          callback(toServiceError(error));
        },
      );
    },

    Logs(call) {
      for (const record of events.recent()) call.write(record);
      if (!call.request.follow) {
        call.end();
        return;
      }
      const unsubscribe = events.subscribe((record) => call.write(record));
      call.on('cancelled', unsubscribe);
      call.on('close', unsubscribe);
    },

    GetStatus(_call, callback) {
      callback(null, status.status());
    },
  };
  return {
    handlers,
    close: async () => {
      await queue;
      await reloader.close();
      status.close();
    },
  };
}

/**
 * The signature of the agent's file at `path`, for a CLI whose cached one is stale; empty when the path
 * is not a regular file.
 *
 * @throws {@link PathRefusedError} when the path is unsafe
 */
async function signatureOf(root: string, path: string): Promise<FileSignature> {
  validatePath(path);
  const absolute = join(root, path);
  // Never read through a symbolic link: every parent must be a real directory.
  const parts = path.split('/');
  for (let depth = 1; depth < parts.length; depth += 1) {
    const parent = await lstat(join(root, ...parts.slice(0, depth))).catch(() => undefined);
    if (parent?.isDirectory() !== true) {
      return { path, basisHash: Buffer.alloc(0), signature: Buffer.alloc(0) };
    }
  }
  const stat = await lstat(absolute).catch(() => undefined);
  if (stat?.isFile() !== true)
    return { path, basisHash: Buffer.alloc(0), signature: Buffer.alloc(0) };
  const bytes = await readFile(absolute);
  const basisHash = computeBasisHash(bytes);
  return {
    path,
    basisHash: Buffer.from(basisHash),
    signature: Buffer.from(encodeSignature(computeSignature(bytes, { basisHash }))),
  };
}
