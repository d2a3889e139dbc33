/**
 * The dashboard's configuration: the `dashboard` section of `velocity.yaml` plus `VELOCITY_DASHBOARD_*`
 * variables, loaded once per server process.
 *
 * @module
 */
import { loadConfig, type LoadConfigResult } from '@velocity/core';

let loaded: Promise<LoadConfigResult> | undefined;

/**
 * The validated configuration, read from the server's working directory and environment on first use.
 *
 * @privateRemarks
 * The Next server is this app's `cli.ts`: the one place that reads `process.env` and the config file. A failed
 * load is not cached, so fixing the file and reloading the page is enough.
 *
 * @throws {@link ConfigError} when the file or a variable is invalid
 */
export function loadDashboardConfig(): Promise<LoadConfigResult> {
  loaded ??= loadConfig({ cwd: process.cwd(), env: process.env }).catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}
