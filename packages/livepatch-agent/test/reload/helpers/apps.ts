/**
 * Small node apps for the reload tests, written into a testdir and run as real child processes.
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Scrubber } from '@velocity/core';
import { AgentEventBus, type AgentLogRecord } from '../../../src/events/index.js';

/**
 * The environment for test apps: the test's, without what tap adds for its own children
 * (`NODE_OPTIONS` loading its hooks makes every app start several times slower).
 */
export const APP_ENV: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => name !== 'NODE_OPTIONS' && !name.startsWith('_TAPJS'),
  ),
);

/** `node <dir>/<name>.cjs`, after writing `source` there. */
export function nodeApp(dir: string, name: string, source: string): string[] {
  const file = join(dir, `${name}.cjs`);
  writeFileSync(file, source);
  return [process.execPath, file];
}

/** Polls `check` every 10 ms until it returns true; fails after `timeoutMs`. */
export async function waitFor(
  check: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The text of `file`, or '' when it does not exist yet. */
export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Whether `pid` runs: exists and is not a zombie (orphans may not be reaped in a container). */
export function isAlive(pid: number): boolean {
  if (!(pid > 0)) throw new Error(`not a pid: ${pid}`);
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = readText(`/proc/${pid}/stat`);
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** A bus with a fresh scrubber, plus the event texts recorded so far. */
export function createTestBus(): { events: AgentEventBus; texts: (kind?: string) => string[] } {
  const events = new AgentEventBus({ scrubber: new Scrubber() });
  return {
    events,
    texts: (kind) =>
      events
        .recent()
        .filter((record: AgentLogRecord) => kind === undefined || record.kind === kind)
        .map((record) => record.text),
  };
}

/**
 * Writes its pid to `pid` (next to the script), appends every SIGHUP/SIGUSR2 it gets to `signals.txt`,
 * prints `ready`, and runs until SIGTERM.
 */
export const SIGNAL_RECORDER = `
const fs = require('node:fs');
const path = require('node:path');
const out = (name) => path.join(__dirname, name);
for (const signal of ['SIGHUP', 'SIGUSR2']) {
  process.on(signal, () => fs.appendFileSync(out('signals.txt'), signal + '\\n'));
}
fs.writeFileSync(out('app.pid'), process.pid + '\\n');
console.log('ready');
setInterval(() => {}, 1000);
`;

/** Spawns a grandchild (same process group), writes `<pid> <grandchild pid>` to `pids.txt`, runs forever. */
export const GROUP_APP = `
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
fs.appendFileSync(path.join(__dirname, 'pids.txt'), process.pid + ' ' + grandchild.pid + '\\n');
setInterval(() => {}, 1000);
`;

/** Ignores SIGTERM; writes `ready` to `stubborn.txt` once the handler is installed. */
export const STUBBORN_APP = `
process.on('SIGTERM', () => {});
require('node:fs').writeFileSync(require('node:path').join(__dirname, 'stubborn.txt'), 'ready');
setInterval(() => {}, 1000);
`;

/**
 * Appends `start <pid> <alone|overlap>` to `log.txt`: `overlap` when the app logged last is still
 * running. On SIGTERM it exits 60 ms later, so a supervisor that did not wait would overlap.
 */
export const SLOW_STOP_APP = `
const fs = require('node:fs');
const log = require('node:path').join(__dirname, 'log.txt');
process.on('SIGTERM', () => setTimeout(() => process.exit(0), 60));
let previous = 0;
try {
  previous = Number(fs.readFileSync(log, 'utf8').trim().split('\\n').at(-1).split(' ')[1]);
} catch {}
let running = false;
if (previous > 0) {
  try {
    process.kill(previous, 0);
    const stat = fs.readFileSync('/proc/' + previous + '/stat', 'utf8');
    running = !/^\\S+ \\(.*\\) [ZX]/.test(stat);
  } catch {}
}
fs.appendFileSync(log, 'start ' + process.pid + ' ' + (running ? 'overlap' : 'alone') + '\\n');
setInterval(() => {}, 1000);
`;

/** Exits with code 1 at once. */
export const CRASH_APP = `process.exit(1);`;

/**
 * Reads `mode.txt` (a synced file): `bad` exits 1 after 100 ms, `late` exits 1 after 400 ms, anything
 * else runs forever. Appends `<pid> <mode>` to `runs.txt`.
 */
export const MODE_APP = `
const fs = require('node:fs');
const path = require('node:path');
const mode = fs.readFileSync(path.join(__dirname, 'mode.txt'), 'utf8').trim();
fs.appendFileSync(path.join(__dirname, 'runs.txt'), process.pid + ' ' + mode + '\\n');
if (mode === 'bad') setTimeout(() => process.exit(1), 100);
else if (mode === 'late') setTimeout(() => process.exit(1), 400);
else setInterval(() => {}, 1000);
`;
