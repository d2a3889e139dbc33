import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisServerError } from '../errors.js';

/** A `redis-server` this process started; see {@link startRedisServer}. */
export interface RedisServerHandle {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM, then waits for it to exit) and deletes its directory. */
  stop(): Promise<void>;
}

/** Options of {@link startRedisServer}. */
export interface StartRedisServerOptions {
  /** @defaultValue `'redis-server'` (found on PATH) */
  readonly binary?: string;
  /** How long to wait for PING to answer, ms. @defaultValue 10000 */
  readonly startTimeoutMs?: number;
}

const ATTEMPTS = 3;

/**
 * Starts a private, memory-only `redis-server` on a free loopback port in a temporary directory, and
 * resolves once it answers PING.
 *
 * @remarks
 * redis-server cannot listen on port 0, so the port is found by listening on 0 and closing; another
 * process may take it in between, so a server that exits at once is retried on a new port.
 *
 * @throws {@link RedisServerError} when the binary is missing or the server does not answer in time
 */
export async function startRedisServer(
  options: StartRedisServerOptions = {},
): Promise<RedisServerHandle> {
  const binary = options.binary ?? 'redis-server';
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  const dir = await mkdtemp(join(tmpdir(), 'quantum-merge-redis-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const port = await freePort();
    const child = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    try {
      await waitForPing(child, port, timeoutMs);
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        stop: async () => {
          await stopChild(child);
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (error: unknown) {
      lastError = error;
      await stopChild(child);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') break;
    }
  }
  await rm(dir, { recursive: true, force: true });
  if ((lastError as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new RedisServerError(
      `Could not run "${binary}": it is not installed or not on PATH. Install Redis (apt-get install redis-server) or pass --redis URL.`,
      { cause: lastError },
    );
  }
  throw new RedisServerError(
    `"${binary}" did not answer PING on 127.0.0.1. Check that it runs (${binary} --version) or pass --redis URL.`,
    { cause: lastError },
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPing(child: ChildProcess, port: number, timeoutMs: number): Promise<void> {
  let failure: Error | undefined;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.once('error', (error) => {
    failure = error;
  });
  child.once('exit', (code) => {
    failure ??= new Error(`redis-server exited with code ${code}: ${stderr.trim()}`);
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (failure !== undefined) throw failure;
    if (await answersPing(port)) return;
    await sleep(25);
  }
  throw failure ?? new Error(`no PONG within ${timeoutMs} ms`);
}

/**
 * Sends an inline PING (RESP) to `127.0.0.1:port` and resolves whether Redis answered: `+PONG`, or `-NOAUTH`
 * from a server with a password (another program on the port answers neither). Gives up after 500 ms of
 * silence.
 */
export function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) socket.end();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(/^(\+PONG|-NOAUTH)/.test(reply)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}
