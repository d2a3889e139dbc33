/**
 * The built dashboard for benchmarks: started with its own start command on a free port, configured by
 * `VELOCITY_*` variables only, and logged in from a browser page.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { freePort } from './bench-env.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PACKAGE_DIR = join(ROOT, 'packages', 'dashboard');
const TOKEN = 'bench-dashboard-token-0123456789';

/** A running dashboard. */
export interface BenchDashboard {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Stops the server (its whole process group) and waits for it to exit. */
  readonly stop: () => Promise<void>;
}

/**
 * Starts `velocity-dashboard` (the Next build in `NEXT_DIST_DIR`, else `.next`) with `env` added to a
 * listen address and a login token.
 *
 * @throws when there is no build, or the server does not answer within 30 s
 */
export async function startBenchDashboard(
  env: Readonly<Record<string, string>>,
): Promise<BenchDashboard> {
  const distDir = join(PACKAGE_DIR, process.env['NEXT_DIST_DIR'] ?? '.next');
  if (!existsSync(join(distDir, 'BUILD_ID')))
    throw new Error(`No Next build in ${distDir}: run npm run build -w @velocity/dashboard first.`);
  const port = await freePort();
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(clean)) if (name.startsWith('VELOCITY_')) delete clean[name];
  // The repository root holds no velocity.yaml, and resolves `--import tsx`.
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', join(PACKAGE_DIR, 'bin', 'velocity-dashboard.ts')],
    {
      cwd: ROOT,
      env: {
        ...clean,
        VELOCITY_DASHBOARD_LISTEN: `127.0.0.1:${port}`,
        VELOCITY_DASHBOARD_TOKEN: TOKEN,
        ...env,
      },
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  server.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise((resolve) => server.on('exit', resolve));
  const stop = async () => {
    if (server.pid !== undefined && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
    await exited;
  };
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 100) {
    const up = await fetch(`${url}/login`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return { url, stop };
    if (waited > 30_000 || server.exitCode !== null) {
      await stop();
      throw new Error(`The dashboard did not answer on ${url}:\n${log}`);
    }
    await sleep(100);
  }
}

/** Logs `page` in through the login form. */
export async function logInBench(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/login`, { waitUntil: 'networkidle' });
  await page.fill('input[name=token]', TOKEN);
  await page.click('button[type=submit]');
  await page.waitForURL(`${url}/`);
}
