/**
 * A private Redis Cluster for one test file: three masters, no replicas, each a `redis-server` on a free
 * loopback port (never 6379) in a temporary directory, joined with `redis-cli --cluster create`.
 *
 * @module
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { Test } from 'tap';
import { answersPing } from '../../src/simulate/redis-server.js';

/** A running test cluster. */
export interface TestRedisCluster {
  /** The masters' client ports; each also uses port + 10000 for the cluster bus. */
  readonly ports: readonly number[];
  /** The node list for `connectRedis`: `redis://[:password@]127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3`. */
  readonly url: string;
}

/** Options of {@link startTestRedisCluster}. */
export interface TestRedisClusterOptions {
  /** `requirepass` of every node; none when absent. */
  readonly password?: string;
  /**
   * Whether to join the nodes into a cluster; when false each node has no slots, so `CLUSTER INFO` says
   * `cluster_state:fail`. @defaultValue `true`
   */
  readonly joined?: boolean;
}

const MASTERS = 3;
/** Redis Cluster nodes talk to each other on the client port plus this. */
const BUS_PORT_OFFSET = 10_000;
const START_TIMEOUT_MS = 20_000;

/**
 * Starts the cluster and resolves once `CLUSTER INFO` says `cluster_state:ok` on every node (unless
 * `joined: false`); the nodes are stopped and their directory deleted in `t`'s teardown (also when starting
 * fails half-way).
 *
 * @remarks
 * redis-server cannot listen on port 0, so each port (and its bus port) is found by listening on it first and
 * closing; another process may take it in between, so a node that exits at once is retried on new ports.
 *
 * @throws when redis-server or redis-cli is missing, or the cluster is not ok within 20 s
 */
export async function startTestRedisCluster(
  t: Test,
  options: TestRedisClusterOptions = {},
): Promise<TestRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'quantum-merge-cluster-'));
  const children: ChildProcess[] = [];
  t.teardown(async () => {
    await Promise.all(children.map(stopChild));
    await rm(dir, { recursive: true, force: true });
  });
  const taken = new Set<number>();
  const ports: number[] = [];
  for (let node = 0; node < MASTERS; node += 1) {
    ports.push(await startNode(dir, taken, children, options.password));
  }
  const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
  const url = `redis://${auth}${ports.map((port) => `127.0.0.1:${port}`).join(',')}`;
  if (options.joined === false) return { ports, url };
  const env = {
    ...process.env,
    ...(options.password === undefined ? {} : { REDISCLI_AUTH: options.password }),
  };
  await promisify(execFile)(
    'redis-cli',
    [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ],
    { env, timeout: START_TIMEOUT_MS },
  );
  await waitForClusterOk(ports, options.password);
  return { ports, url };
}

/** Starts one node on free ports, retrying when it exits at once (its port was taken meanwhile). */
async function startNode(
  dir: string,
  taken: Set<number>,
  children: ChildProcess[],
  password: string | undefined,
): Promise<number> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePortWithBus(taken);
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        ...(password === undefined ? [] : ['--requirepass', password]),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    children.push(child);
    try {
      await waitForRedis(child, port);
      return port;
    } catch (error) {
      lastError = error;
      await stopChild(child);
    }
  }
  throw lastError;
}

/** A free loopback port P with P + 10000 free too, neither in `taken`; both are added to `taken`. */
async function freePortWithBus(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const server = await listen(0);
    const { port } = server.address() as AddressInfo;
    const bus = port + BUS_PORT_OFFSET;
    const busServer =
      bus > 65_535 || taken.has(port) || taken.has(bus)
        ? undefined
        : await listen(bus).catch(() => undefined);
    await close(server);
    if (busServer === undefined) continue;
    await close(busServer);
    taken.add(port).add(bus);
    return port;
  }
  throw new Error('no free port pair (P, P + 10000) on 127.0.0.1 after 100 tries');
}

function listen(port: number): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Resolves once Redis answers on `port`; rejects when the child exits first or after the timeout. */
async function waitForRedis(child: ChildProcess, port: number): Promise<void> {
  let stderr = '';
  let exited: Error | undefined;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.once('exit', (code) => {
    exited = new Error(`redis-server on port ${port} exited with code ${code}: ${stderr.trim()}`);
  });
  child.once('error', (error) => {
    exited = error;
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw exited;
    if (await answersPing(port)) return;
    await sleep(25);
  }
  throw new Error(`redis-server on port ${port} did not answer PING within ${START_TIMEOUT_MS} ms`);
}

/** Polls `CLUSTER INFO` on every node until all say `cluster_state:ok`. */
async function waitForClusterOk(
  ports: readonly number[],
  password: string | undefined,
): Promise<void> {
  const clients = ports.map(
    (port) =>
      new Redis({ host: '127.0.0.1', port, ...(password === undefined ? {} : { password }) }),
  );
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const infos = await Promise.all(clients.map((client) => client.cluster('INFO')));
      if (infos.every((info) => String(info).includes('cluster_state:ok'))) return;
      if (Date.now() > deadline) {
        throw new Error(`Redis Cluster not ok within ${START_TIMEOUT_MS} ms:\n${infos.join('\n')}`);
      }
      await sleep(50);
    }
  } finally {
    for (const client of clients) client.disconnect();
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}
