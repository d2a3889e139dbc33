/**
 * The Redis connection of `serve` and `worker`: one Redis server, or a Redis Cluster named by a list of its
 * nodes.
 *
 * @module
 */
import type { Logger } from '@velocity/core';
import { Cluster, Redis } from 'ioredis';
import { RedisUnavailableError, RedisUrlError } from '../errors.js';

/**
 * A connection to one Redis server or to a Redis Cluster; Quantum Merge's stores, lock, registry and BullMQ
 * queues take either.
 *
 * @remarks
 * Every multi-key command and Lua script touches keys of one Cluster slot: a merge queue's keys share the
 * hash tag `{owner/repo:base}` (`queueKeys`) and BullMQ's the prefix `{quantum-merge}`.
 */
export type RedisClient = Redis | Cluster;

/** How a node list connects: the startup nodes, and the options of every node. */
interface ClusterConfig {
  /** `host[:port]` of each listed node. */
  readonly nodes: string[];
  /** Discovered nodes are connected with these only; the startup nodes' own fields are not used. */
  readonly redisOptions: {
    readonly maxRetriesPerRequest: null;
    readonly username?: string;
    readonly password?: string;
    /** Node's default TLS options: verify the certificate against the system's CAs. */
    readonly tls?: Record<string, never>;
  };
}

/** Options of {@link connectRedis}. */
export interface ConnectRedisOptions {
  /**
   * How long a Redis Cluster may take to become ready at start-up, ms: its nodes answer, and `CLUSTER INFO`
   * says `cluster_state:ok`.
   * @defaultValue `10000`
   */
  readonly clusterReadyTimeoutMs?: number;
}

/**
 * Connects to Redis, failing fast when it cannot be reached at start-up; later outages are logged (once per
 * distinct message) and retried, because BullMQ's workers block on Redis and must never give up on a command.
 *
 * @param url - one server: `redis://[[user]:password@]host[:port][/db]`, or `rediss://…` for TLS, as ioredis
 *   reads it. A Redis Cluster: several nodes separated by commas, the first a URL as above (without a
 *   database) and the others `host[:port]` or the same with the first's scheme, e.g.
 *   `redis://:password@10.0.0.1:7000,10.0.0.2:7000`. The first node's credentials and TLS apply to every
 *   node, including those the client discovers; a missing port is 6379.
 * @returns a connected client made with `maxRetriesPerRequest: null` (BullMQ's requirement); a `Cluster` for
 *   a node list. The caller disconnects it.
 * @throws {@link RedisUrlError} when a node list has an empty or malformed node, mixes `redis://` and
 *   `rediss://`, names a database other than 0 (a Cluster has only database 0) or has URL options
 * @throws {@link RedisUnavailableError} when the first connection fails; for a Cluster, when no listed node
 *   answers the slot lookup or the cluster is not ready within `clusterReadyTimeoutMs`. Its message shows
 *   `url` with the password masked.
 *
 * @see https://docs.bullmq.io/patterns/redis-cluster
 * @see https://github.com/redis/ioredis#cluster
 */
export async function connectRedis(
  url: string,
  logger: Logger,
  options: ConnectRedisOptions = {},
): Promise<RedisClient> {
  const cluster = clusterConfig(url);
  const redis: RedisClient =
    cluster === undefined
      ? new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true })
      : new Cluster(cluster.nodes, { lazyConnect: true, redisOptions: cluster.redisOptions });
  let lastError = '';
  const warn = (error: Error, node?: string): void => {
    if (error.message === lastError) return;
    lastError = error.message;
    logger.warn(
      'Redis connection error; retrying',
      node === undefined ? { error } : { error, node },
    );
  };
  redis.on('error', (error: Error) => warn(error));
  let timer: NodeJS.Timeout | undefined;
  const connecting = [redis.connect()];
  if (cluster !== undefined) {
    // A Cluster reports a failing node apart from its own errors, with the node's `host:port`.
    redis.on('node error', (error: Error, node: string) => warn(error, node));
    // ioredis' Cluster#connect() never settles while the nodes answer but CLUSTER INFO is not ok (slots
    // unassigned, a majority down): it reconnects silently, so give it a deadline.
    const timeoutMs = options.clusterReadyTimeoutMs ?? 10_000;
    connecting.push(
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`the cluster was not ready (cluster_state:ok) within ${timeoutMs} ms`),
            ),
          timeoutMs,
        );
      }),
    );
  }
  try {
    await Promise.race(connecting);
  } catch (error) {
    redis.disconnect();
    throw new RedisUnavailableError(maskPassword(url), { cause: error });
  } finally {
    clearTimeout(timer);
  }
  return redis;
}

/**
 * The Cluster settings of a node list, or `undefined` for a single server's URL (one whose hosts, after
 * the credentials, hold no comma).
 *
 * @throws {@link RedisUrlError} for a node list that cannot be used
 */
function clusterConfig(url: string): ClusterConfig | undefined {
  // Credentials end at the last `@`: a password may hold commas, the host list may not hold `@`.
  const match = /^(?<scheme>rediss?:)\/\/(?:(?<userinfo>.*)@)?(?<hosts>[^@]*,[^@]*)$/i.exec(url);
  if (match === null) return undefined;
  // `scheme` and `hosts` are not optional in the pattern, so a match always has them.
  const {
    scheme,
    userinfo = '',
    hosts,
  } = match.groups as {
    scheme: string;
    userinfo?: string;
    hosts: string;
  };
  const shown = maskPassword(url);
  const protocol = scheme.toLowerCase();
  const nodes = hosts.split(',').map((node, index) => {
    const where = `node ${index + 1} ("${node}")`;
    let parsed: URL;
    try {
      parsed = new URL(/^rediss?:\/\//i.test(node) ? node : `${protocol}//${node}`);
    } catch (error) {
      throw new RedisUrlError(shown, `${where} is not host:port`, { cause: error });
    }
    if (parsed.hostname === '') throw new RedisUrlError(shown, `${where} has no host`);
    if (parsed.protocol !== protocol) {
      throw new RedisUrlError(shown, `${where} does not use ${protocol}// as the first node does`);
    }
    if (!['', '/', '/0'].includes(parsed.pathname) || parsed.search !== '' || parsed.hash !== '') {
      throw new RedisUrlError(
        shown,
        `${where} names a database or URL options, but a Redis Cluster has only database 0 and takes none`,
      );
    }
    // `host[:port]`, as ioredis reads a startup node: IPv6 in brackets, port 6379 when absent.
    return parsed.host;
  });
  const { username, password } = credentials(userinfo, shown);
  return {
    nodes,
    redisOptions: {
      maxRetriesPerRequest: null,
      ...(username === '' ? {} : { username }),
      ...(password === '' ? {} : { password }),
      ...(protocol === 'rediss:' ? { tls: {} } : {}),
    },
  };
}

/** `user:password` (either part may be empty), percent-decoded as ioredis decodes a URL's. */
function credentials(userinfo: string, shown: string): { username: string; password: string } {
  const split = userinfo.indexOf(':');
  try {
    return {
      username: decodeURIComponent(split === -1 ? userinfo : userinfo.slice(0, split)),
      password: split === -1 ? '' : decodeURIComponent(userinfo.slice(split + 1)),
    };
  } catch (error) {
    throw new RedisUrlError(shown, 'its credentials are not valid percent-encoding', {
      cause: error,
    });
  }
}

/** `url` with the password (between `user:` and the last `@`) replaced by `***`, for messages. */
function maskPassword(url: string): string {
  return url.replace(/^(rediss?:\/\/[^:@/]*:).*@/i, '$1***@');
}
