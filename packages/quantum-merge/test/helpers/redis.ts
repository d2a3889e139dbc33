import { createLogger, type Logger } from '@velocity/core';
import { Redis } from 'ioredis';
import type { Test } from 'tap';
import { startRedisServer } from '../../src/simulate/redis-server.js';

/**
 * A private redis-server on a free port for one test file (never the shared one on 6379), with a client;
 * both are stopped in teardown.
 */
export async function startTestRedis(t: Test): Promise<Redis> {
  const server = await startRedisServer();
  const redis = new Redis(server.url);
  t.teardown(async () => {
    redis.disconnect();
    await server.stop();
  });
  return redis;
}

/** A logger that writes nothing. */
export const silentLogger: Logger = createLogger({ destination: process.stderr, level: 'silent' });
