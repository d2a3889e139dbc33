import 'server-only';
import { Redis } from 'ioredis';
import { loadDashboardConfig } from './config';
import { scrub } from './scrub';

/** Time a health check may take, ms. */
const HEALTH_TIMEOUT_MS = 2_000;

/** One service's health as the overview shows it. */
export interface ServiceHealth {
  /** Round-trip time, ms (one decimal); `null` when down. */
  readonly ms: number | null;
  /** Why it is down, scrubbed; absent when up. */
  readonly error?: string;
}

/**
 * The first node of a Redis URL: the URL itself, or for a Cluster node list (`redis://:pw@a:6379,b:6379`, as
 * Quantum Merge accepts) the scheme and credentials with the first host.
 */
export function firstRedisNode(url: string): string {
  const list = /^(rediss?:\/\/(?:.*@)?)([^@,]*),[^@]*$/i.exec(url);
  return list === null ? url : `${list[1]}${list[2]}`;
}

async function timed(check: () => Promise<unknown>): Promise<ServiceHealth> {
  const started = performance.now();
  try {
    await check();
    return { ms: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { ms: null, error: await scrub(error instanceof Error ? error.message : String(error)) };
  }
}

/** A PING to `dashboard.redisUrl` (its first node for a Cluster) on a connection of its own. */
export async function pingRedis(): Promise<ServiceHealth> {
  const { config } = await loadDashboardConfig();
  return timed(async () => {
    const redis = new Redis(firstRedisNode(config.dashboard.redisUrl), {
      lazyConnect: true,
      connectTimeout: HEALTH_TIMEOUT_MS,
      commandTimeout: HEALTH_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    // The failure is reported by connect()/ping(); without a listener ioredis would also print it.
    redis.on('error', () => {});
    try {
      await redis.connect();
      await redis.ping();
    } finally {
      redis.disconnect();
    }
  });
}

/** Quantum Merge's `GET /healthz` at `dashboard.quantumMergeUrl` (which checks its own Redis). */
export async function pingQuantumMerge(): Promise<ServiceHealth> {
  const { config } = await loadDashboardConfig();
  const url = new URL('/healthz', config.dashboard.quantumMergeUrl);
  return timed(async () => {
    const response = await fetch(url, {
      cache: 'no-store',
      signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`${url.href} answered ${response.status}`);
  });
}
