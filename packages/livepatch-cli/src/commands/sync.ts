import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError, type CliIo, type Logger } from '@velocity/core';
import { AgentCallError } from '../sync/errors.js';
import { loadCertificates } from '../certs/index.js';
import { connectAgent } from '../sync/agent-client.js';
import { BasisStore } from '../sync/basis-store.js';
import { readHashCache, writeHashCache } from '../sync/hash-cache-file.js';
import { SyncSession, type SyncOutcome } from '../sync/sync-session.js';
import { watchTree } from '../watch/watch-tree.js';

/** Options of `livepatch sync`. */
export interface SyncCommandOptions {
  src: string;
  agent: string | undefined;
  certs: string | undefined;
  once: boolean;
  json: boolean;
  fullModes: boolean;
  compress: boolean;
  serverName: string | undefined;
  cacheDir: string | undefined;
  ignore: readonly string[];
  /** Seconds between full reconciles in watch mode. */
  reconcileSeconds: number;
}

/**
 * `livepatch sync SRC`: mirrors SRC into the agent once (`--once`) or keeps doing so as files change.
 *
 * @returns 0 after `--once`, or when interrupted in watch mode (the CLI maps the interruption to 130)
 * @throws {@link UsageError} without `--agent` or `--certs`
 * @throws the certificate loader's errors, gRPC `ServiceError`s when the agent refuses a batch (`--once`)
 */
export async function syncCommand(
  io: CliIo,
  logger: Logger,
  options: SyncCommandOptions,
): Promise<number> {
  if (options.agent === undefined) {
    throw new UsageError('No agent given. Pass --agent HOST:PORT (or set livepatch.agent).');
  }
  if (options.certs === undefined) {
    throw new UsageError(
      'No certificates given. Pass --certs DIR (from livepatch certs init --out DIR).',
    );
  }
  const tls = await loadCertificates(resolve(io.cwd, options.certs), 'client');
  const connection = connectAgent(options.agent, {
    ...tls,
    ...(options.serverName === undefined ? {} : { serverName: options.serverName }),
  });
  const cacheDir =
    options.cacheDir ??
    join(io.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'velocity', 'livepatch');
  const store = new BasisStore({ dir: cacheDir });
  const src = resolve(io.cwd, options.src);
  try {
    const opening = performance.now();
    const session = await SyncSession.open({
      src,
      client: connection.client,
      store,
      logger,
      fullModes: options.fullModes,
      compress: options.compress,
      extraIgnores: options.ignore,
      signal: io.signal,
      hashCache: await readHashCache(cacheDir, src),
    });
    const report = (outcome: SyncOutcome, start: number) => {
      const summary = {
        filesChanged: outcome.filesChanged,
        filesDeleted: outcome.filesDeleted,
        bytesSent: connection.bytes.sent,
        bytesReceived: connection.bytes.received,
        bytesTotal: connection.bytes.sent + connection.bytes.received,
        ms: Math.round(performance.now() - start),
      };
      connection.bytes.sent = 0;
      connection.bytes.received = 0;
      if (options.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
      else logger.info('Synced', summary);
    };
    if (options.once) {
      // From before the scan: a one-shot sync is scan, compare and send.
      const start = opening;
      report(
        await session
          .reconcile({ rescan: false })
          .catch((error: unknown) => rethrow(error, options.agent)),
        start,
      );
      await writeHashCache(cacheDir, src, session.hashCache).catch((error: unknown) => {
        logger.warn('Could not keep the hash cache for the next run', { error });
      });
      return 0;
    }
    await watch(io, logger, session, src, options, report);
    return 0;
  } finally {
    connection.close();
  }
}

/**
 * A gRPC failure as a {@link AgentCallError} (a clear message, exit 1); anything else unchanged.
 *
 * @throws always
 */
function rethrow(error: unknown, agent: string | undefined): never {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number' && error instanceof Error)
    throw new AgentCallError(agent ?? '', error);
  throw error;
}

/** Watch mode: batches of changed paths, a periodic reconcile, and reconnection after failures. */
async function watch(
  io: CliIo,
  logger: Logger,
  session: SyncSession,
  src: string,
  options: SyncCommandOptions,
  report: (outcome: SyncOutcome, start: number) => void,
): Promise<void> {
  let pending = new Set<string>();
  let needReconcile = false;
  let wake: (() => void) | undefined;
  const kick = () => wake?.();
  io.signal.addEventListener('abort', kick, { once: true });
  const watcher = await watchTree(src, {
    onBatch: (paths) => {
      for (const path of paths) pending.add(path);
      kick();
    },
    onError: (error) => logger.warn('Watcher error; reconciling', { error }),
  });
  // The watcher is ready before the first reconcile: an edit made meanwhile is not lost.
  needReconcile = true;
  const timer = setInterval(() => {
    needReconcile = true;
    kick();
  }, options.reconcileSeconds * 1000);
  timer.unref();
  let failures = 0;
  let first = true;
  try {
    while (!io.signal.aborted) {
      if (pending.size === 0 && !needReconcile) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      const paths = pending;
      const full = needReconcile;
      pending = new Set();
      needReconcile = false;
      const start = performance.now();
      try {
        const outcome = full ? await session.reconcile() : await session.syncPaths(paths);
        failures = 0;
        if (outcome.operations > 0 || first) report(outcome, start);
        first = false;
      } catch (error) {
        if (io.signal.aborted) break;
        failures += 1;
        const delay = Math.min(5000, 100 * 2 ** Math.min(failures, 6));
        logger.warn('Sync failed; retrying with a full reconcile', { error, retryInMs: delay });
        for (const path of paths) pending.add(path);
        needReconcile = true;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  } finally {
    clearInterval(timer);
    await watcher.close();
  }
}
