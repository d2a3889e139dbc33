import 'server-only';
import { Scrubber } from '@velocity/core';
import { loadDashboardConfig } from './config';

/** Nesting depth {@link scrub} keeps: a queue view (detail → builds → entries → …) is well within it. */
const MAX_DEPTH = 32;

// One scrubber per server process, holding the config's secrets; survives Next's module re-evaluation in dev.
const shared = globalThis as { velocityDashboardScrubber?: Promise<Scrubber> | undefined };

async function createScrubber(): Promise<Scrubber> {
  const { secrets } = await loadDashboardConfig();
  const scrubber = new Scrubber({ maxDepth: MAX_DEPTH });
  for (const { value } of secrets) scrubber.addSecret(value, 'config');
  return scrubber;
}

/**
 * A deep scrubbed copy of `value`, as everything the dashboard sends to a browser must be: the configured
 * secrets (`dashboard.token`, `quantumMerge.apiToken`, `log.secrets`, …) and every known token format, private
 * key, URL password and secret-named setting are replaced by `[REDACTED:<kind>]` (core's {@link Scrubber}).
 *
 * @throws {@link ConfigError} when the configuration cannot be loaded
 */
export async function scrub<T>(value: T): Promise<T> {
  shared.velocityDashboardScrubber ??= createScrubber().catch((error: unknown) => {
    shared.velocityDashboardScrubber = undefined;
    throw error;
  });
  // scrubValue keeps the shape of JSON-friendly values; it only replaces strings.
  return (await shared.velocityDashboardScrubber).scrubValue(value) as T;
}
