#!/usr/bin/env node
/**
 * The README's test command (`npm test`): type-checks, builds and tests every workspace, then prints one
 * closing line `N passed, N failed` (tap assertions, plus one per type-check and build step).
 *
 * Usage: `node scripts/test-all.mjs [--skip-build]`. Exits 1 when anything failed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const skipBuild = process.argv.includes('--skip-build');

/** Runs a command, streaming its output; resolves with its exit code and stdout text. */
function run(cmd, args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

function workspaces() {
  const dir = join(root, 'packages');
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => existsSync(join(path, 'package.json')))
    .map((path) => ({ path, pkg: JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) }));
}

let passed = 0;
let failed = 0;
const failures = [];

function step(label, cmd, args, cwd) {
  process.stdout.write(`\n== ${label}\n`);
  return run(cmd, args, cwd);
}

/** Counts a non-test step (type-check, build) as one passed or failed check. */
async function check(label, cmd, args, cwd) {
  const { code } = await step(label, cmd, args, cwd);
  if (code === 0) passed += 1;
  else {
    failed += 1;
    failures.push(label);
  }
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
await check('scripts: typecheck', npx, ['tsc', '-p', 'scripts'], root);
await check('bench: typecheck', npx, ['tsc', '-p', 'bench'], root);
for (const { path, pkg } of workspaces()) {
  for (const script of skipBuild ? ['typecheck'] : ['typecheck', 'build']) {
    if (pkg.scripts?.[script] === undefined) continue;
    await check(`${pkg.name}: ${script}`, npm, ['run', '--silent', script], path);
  }
}

const suites = workspaces()
  .filter(({ pkg }) => pkg.scripts?.test !== undefined)
  .map(({ path, pkg }) => ({ label: `${pkg.name}: test`, cwd: path }));
if (existsSync(join(root, 'scripts', 'test'))) suites.push({ label: 'scripts: test', cwd: root });

for (const { label, cwd } of suites) {
  // At the root, the `tap` config in package.json selects scripts/test/**/*.ts.
  const { code, out } = await step(label, npx, ['tap'], cwd);
  const summary = [...out.matchAll(/^# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?/gm)].at(
    -1,
  );
  const pass = Number(summary?.[2] ?? 0);
  const fail = Number(summary?.[3] ?? 0);
  passed += pass;
  failed += fail;
  if (code !== 0 && fail === 0) failed += 1;
  if (code !== 0) failures.push(label);
}

if (failures.length > 0) process.stdout.write(`\nFailed: ${failures.join('; ')}\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
