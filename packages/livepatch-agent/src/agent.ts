import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Server } from '@grpc/grpc-js';
import { UsageError, type Logger, type Scrubber } from '@velocity/core';
import { recoverRoot } from './apply/index.js';
import { AgentEventBus } from './events/index.js';
import { loadLivePatchProtocol } from './protocol/index.js';
import { AppSupervisor, createReloader, type ReloadRule } from './reload/index.js';
import { createLivePatchService } from './server/livepatch-service.js';
import {
  enlargeConnectionWindows,
  FLOW_CONTROL_WINDOW_OPTION,
  RECEIVE_WINDOW_BYTES,
  SERVER_HTTP2_SETTINGS,
} from './server/flow-control.js';
import { createServerCredentials } from './tls/index.js';

/** Options of {@link startAgent}. */
export interface StartAgentOptions {
  /** The directory to mirror into (absolute); it must exist. */
  root: string;
  /** HOST:PORT to listen on; port 0 picks a free one. */
  listen: string;
  /** Directory holding `ca.pem`, `server.pem` and `server-key.pem` (from `livepatch certs init`). */
  certsDir: string;
  durable: boolean;
  allowExternalSymlinks: boolean;
  reloadRules: readonly ReloadRule[];
  /** The app to supervise (`--restart -- CMD ...`), run in `root` unless `appCwd` says otherwise. */
  restart?: readonly string[] | undefined;
  appCwd?: string | undefined;
  rollbackWindowMs: number;
  stopTimeoutMs: number;
  /** Most bytes of one file or payload. @defaultValue 256 MiB */
  maxFileBytes?: number;
  logger: Logger;
  scrubber: Scrubber;
  /** Where the supervised app's output goes, besides the log stream (the agent's own stdout/stderr). */
  appOutput?: { stdout: (line: string) => void; stderr: (line: string) => void };
}

/** A running agent. */
export interface RunningAgent {
  /** The port bound. */
  port: number;
  events: AgentEventBus;
  /** Stops taking calls, waits for the batch in progress, stops the app. */
  close(): Promise<void>;
}

/** Files of the server's side, as `livepatch certs init` names them. */
const SERVER_FILES = { ca: 'ca.pem', cert: 'server.pem', key: 'server-key.pem' } as const;

/**
 * Starts the LivePatch agent: recovers the root from an interrupted batch, serves `livepatch.v1.LivePatch`
 * over mutual TLS 1.3, and starts the supervised app.
 *
 * @throws {@link UsageError} when the root is not a directory or a certificate file is missing
 * @throws the TLS module's `TlsMaterialError` when the certificates are unusable
 * @throws `Error` from grpc-js when the address cannot be bound
 */
export async function startAgent(options: StartAgentOptions): Promise<RunningAgent> {
  const { root, logger } = options;
  const rootStat = await stat(root).catch(() => undefined);
  if (rootStat?.isDirectory() !== true) {
    throw new UsageError(`Root "${root}" is not a directory. Create it, or pass --root DIR.`);
  }
  const material = await readServerMaterial(options.certsDir);
  const recovered = await recoverRoot(root, { logger });
  logger.debug('Root recovered', { ...recovered });

  const events = new AgentEventBus({ scrubber: options.scrubber });
  events.subscribe((record) => {
    if (record.stream === 'event')
      logger.info(record.text, { kind: record.kind, batchId: record.batchId });
    else if (record.stream === 'stdout') options.appOutput?.stdout(record.text);
    else options.appOutput?.stderr(record.text);
  });
  const supervisor =
    options.restart === undefined || options.restart.length === 0
      ? undefined
      : new AppSupervisor({
          command: options.restart,
          events,
          cwd: options.appCwd ?? root,
          stopTimeoutMs: options.stopTimeoutMs,
          logger,
        });
  const reloader = createReloader({
    rules: options.reloadRules,
    ...(supervisor === undefined ? {} : { supervisor }),
    events,
    logger,
    rollbackWindowMs: options.rollbackWindowMs,
    root,
  });
  const maxFileBytes = options.maxFileBytes ?? 256 * 1024 * 1024;
  const service = createLivePatchService({
    root,
    events,
    reloader,
    logger,
    durable: options.durable,
    allowExternalSymlinks: options.allowExternalSymlinks,
    limits: { maxPayloadBytes: maxFileBytes, maxOperations: 100_000 },
  });
  const server = new Server({
    // Payloads travel in data chunks well under this; a GetTree answer of a large directory needs room.
    'grpc.max_receive_message_length': 16 * 1024 * 1024,
    'grpc.max_send_message_length': 64 * 1024 * 1024,
    [FLOW_CONTROL_WINDOW_OPTION]: RECEIVE_WINDOW_BYTES,
  });
  server.addService(loadLivePatchProtocol().livepatch.v1.LivePatch.service, service.handlers);
  const port = await new Promise<number>((resolve, reject) => {
    const credentials = createServerCredentials(material, { settings: SERVER_HTTP2_SETTINGS });
    server.bindAsync(options.listen, credentials, (error, bound) => {
      if (error === null) resolve(bound);
      else reject(error);
    });
  });
  if (enlargeConnectionWindows(server) === 0) {
    logger.warn(
      'HTTP/2 connection window left at 64 KiB: this grpc-js keeps its servers elsewhere',
    );
  }
  if (supervisor !== undefined) await supervisor.start();
  logger.info('Agent listening', { listen: options.listen, port, root });
  return {
    port,
    events,
    close: async () => {
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      await service.close();
      await supervisor?.stop();
    },
  };
}

async function readServerMaterial(dir: string): Promise<{ ca: Buffer; cert: Buffer; key: Buffer }> {
  const read = async (name: string) => {
    try {
      return await readFile(join(dir, name));
    } catch (error) {
      throw new UsageError(
        `Cannot read "${join(dir, name)}" (${(error as NodeJS.ErrnoException).code ?? 'error'}). Create the certificates with livepatch certs init --out DIR and pass --certs DIR.`,
        { cause: error },
      );
    }
  };
  return {
    ca: await read(SERVER_FILES.ca),
    cert: await read(SERVER_FILES.cert),
    key: await read(SERVER_FILES.key),
  };
}
