/**
 * End-to-end helpers: the built dashboard started with its own start command, the built `quantum-merge serve`
 * it reads, and headless Chromium (Debian's `chromium`, driven by playwright-core).
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Test } from 'tap';

/** The dashboard package directory. */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** The Chromium the tests drive; `CHROMIUM_PATH` overrides. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** The login token every test dashboard is configured with. */
export const TOKEN = 'e2e-dashboard-token-0123456789';
/** Where screenshots are saved (ignored by git). */
export const SCREENSHOTS = join(PACKAGE_DIR, '.tap', 'screenshots');
/** Next's build directory: `NEXT_DIST_DIR` (read by next.config.ts too), else `.next`. */
export const DIST_DIR = join(PACKAGE_DIR, process.env['NEXT_DIST_DIR'] ?? '.next');
/** The built `quantum-merge` single executable. */
export const QUANTUM_MERGE_BIN = join(
  dirname(createRequire(import.meta.url).resolve('@velocity/quantum-merge/package.json')),
  'dist/bin/quantum-merge',
);

/**
 * Fails `t` and returns false when Chromium is missing, so a test file can skip its browser part with a clear
 * message.
 */
export function hasChromium(t: Test): boolean {
  if (existsSync(CHROMIUM)) return true;
  t.fail(
    `Chromium not found at "${CHROMIUM}". Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
  );
  return false;
}

/** Builds the app when the build directory holds no production build (`npm run build` does the same). */
export async function ensureBuilt(t: Test): Promise<void> {
  if (existsSync(join(DIST_DIR, 'BUILD_ID'))) return;
  t.comment('no Next build: running next build --webpack (about a minute)');
  const next = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const child = spawn(process.execPath, [next, 'build', '--webpack'], {
    cwd: PACKAGE_DIR,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0)
    throw new Error(`next build exited with ${code}. Run npm run build -w @velocity/dashboard.`);
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The process environment without any `VELOCITY_*` variable, plus `extra`: children configured by the test
 * alone, and no secret of the test run reaching them.
 */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('VELOCITY_')) delete env[name];
  return { ...env, ...extra };
}

/** A running test dashboard. */
export interface DashboardServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Everything the server wrote to stderr so far. */
  readonly log: () => string;
}

/**
 * Starts the built dashboard with its own start command (`bin/velocity-dashboard.ts` → `next start`) in
 * `cwd`, configured by `VELOCITY_*` variables only: `VELOCITY_DASHBOARD_LISTEN` and `VELOCITY_DASHBOARD_TOKEN`
 * ({@link TOKEN}) are set here, `env` adds or overrides. Stopped (the whole process group) at `t`'s teardown.
 *
 * @throws when it does not answer within 30 s
 */
export async function startDashboard(
  t: Test,
  env: Readonly<Record<string, string>>,
  cwd: string = t.testdir({}),
): Promise<DashboardServer> {
  await ensureBuilt(t);
  const port = await freePort();
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', join(PACKAGE_DIR, 'bin', 'velocity-dashboard.ts')],
    {
      cwd,
      env: cleanEnv({
        VELOCITY_DASHBOARD_LISTEN: `127.0.0.1:${port}`,
        VELOCITY_DASHBOARD_TOKEN: TOKEN,
        ...env,
      }),
      // Its own process group, so teardown stops next as well as the wrapper.
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let serverLog = '';
  server.stderr.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
  const serverExited = new Promise((resolve) => server.on('exit', resolve));
  t.teardown(async () => {
    if (server.pid !== undefined && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
    await serverExited;
  });
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 100) {
    const up = await fetch(`${url}/login`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    if (waited > 30_000 || server.exitCode !== null)
      throw new Error(`next start did not answer on ${url}:\n${serverLog}`);
    await sleep(100);
  }
  return { url, log: () => serverLog };
}

/**
 * Starts the built `quantum-merge serve --no-worker` on a free port against `redisUrl`, with `apiToken` for its
 * JSON API. Stopped at `t`'s teardown.
 *
 * @returns its base URL, `http://127.0.0.1:PORT`
 * @throws when the binary is missing (`npm run build`) or it is not listening within 20 s
 */
export async function startQuantumMergeServer(
  t: Test,
  redisUrl: string,
  apiToken: string,
): Promise<string> {
  if (!existsSync(QUANTUM_MERGE_BIN))
    throw new Error(`${QUANTUM_MERGE_BIN} is missing: run npm run build first`);
  const port = await freePort();
  const child = spawn(QUANTUM_MERGE_BIN, ['serve', '--no-worker'], {
    cwd: t.testdir({}),
    env: cleanEnv({
      VELOCITY_QUANTUM_MERGE_REDIS_URL: redisUrl,
      VELOCITY_QUANTUM_MERGE_LISTEN: `127.0.0.1:${port}`,
      VELOCITY_QUANTUM_MERGE_API_TOKEN: apiToken,
      VELOCITY_QUANTUM_MERGE_WEBHOOK_SECRET: 'e2e-webhook-secret',
      VELOCITY_QUANTUM_MERGE_GITHUB_TOKEN: 'e2e-github-token',
      VELOCITY_QUANTUM_MERGE_REQUIRED_CHECKS: 'test',
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  t.teardown(async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  });
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 50) {
    const up = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return url;
    if (waited > 20_000 || child.exitCode !== null)
      throw new Error(`quantum-merge serve did not answer on ${url}:\n${log}`);
    await sleep(50);
  }
}

/** Launches headless Chromium with the flags this closed network needs; closed at `t`'s teardown. */
export async function launchBrowser(t: Test): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  t.teardown(() => browser.close());
  return browser;
}

/** Logs `page` in with `token` through the login form and waits for the overview. */
export async function logIn(page: Page, url: string, token: string = TOKEN): Promise<void> {
  // networkidle: the form is hydrated, so the server action answers in place.
  await page.goto(`${url}/login`, { waitUntil: 'networkidle' });
  await page.fill('input[name=token]', token);
  await page.click('button[type=submit]');
  await page.waitForURL(`${url}/`);
}

/** Saves a full-page screenshot as `.tap/screenshots/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Rows of the table with `data-testid=<testId>` as their cells' text. */
export function tableRows(page: Page, testId: string): Promise<string[][]> {
  return page
    .locator(`[data-testid=${testId}] tbody tr`)
    .evaluateAll((rows) =>
      rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => cell.textContent ?? '')),
    );
}
