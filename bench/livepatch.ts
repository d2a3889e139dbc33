/**
 * `npm run bench -- livepatch [--edits 50] [--skip-watch]`: `livepatch sync --once` against `rsync -a --delete`
 * to an rsync daemon on 127.0.0.1, on the same generated tree and the same changes, in the same run; then
 * watch-mode latency.
 *
 * The tree: 2,000 text files of 1-50 KB in nested folders plus 5, 20 and 100 MiB binaries. Change sets, in
 * order: initial sync into an empty root; no change; a one-line edit; 4 KiB changed in the middle of the
 * 100 MiB file; 100 bytes appended to the 20 MiB file; 200 files edited; 50 added, 50 deleted, 10 renamed;
 * 5 mode changes; no change. Wire bytes are counted the same way for both tools, by a TCP proxy in front of
 * each server (both directions, TLS included for LivePatch), and printed with the wall time as ratios to
 * rsync's. After every LivePatch sync the agent's root is compared with the source, byte for byte.
 *
 * Watch mode: `livepatch sync` keeps running while the source files are edited one at a time; the figure
 * is the time from the write to the file being replaced at the agent (edit → replaced), and to the
 * supervised app receiving its reload signal (edit → signalled), p50 and p95 over `--edits` edits.
 *
 * Targets (issue 4): wire bytes at most rsync's on every set and under 2 KiB for "no change"; watch-mode
 * latency p50 ≤ 40 ms and p95 ≤ 120 ms with no missed edit; initial sync within 1.3x of rsync's time.
 * Needs the built executables (`npm run build`) and rsync (`apt-get install rsync`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { mulberry32 } from '@velocity/core';
import { flag } from './lib/flags.js';
import { freePort } from './lib/bench-env.js';

const edits = Number(flag('--edits') ?? '50');
const skipWatch = process.argv.includes('--skip-watch');
const repo = join(import.meta.dirname, '..');
const livepatch = join(repo, 'packages/livepatch-cli/dist/bin/livepatch');
const agentBin = join(repo, 'packages/livepatch-agent/dist/bin/livepatch-agent');
for (const bin of [livepatch, agentBin]) {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first.`);
}
if (spawnSync('rsync', ['--version']).status !== 0) {
  throw new Error('rsync is missing: apt-get install rsync.');
}

const random = mulberry32(42);
const words = [
  'const',
  'value',
  'return',
  'function',
  'export',
  'import',
  'await',
  'result',
  'items',
];
function text(bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const line = Array.from(
      { length: 4 + Math.floor(random() * 8) },
      () => words[Math.floor(random() * words.length)],
    ).join(' ');
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Runs a command to its end without blocking the event loop (the counting proxies run in this process).
 */
function run(command: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, VELOCITY_LOG_LEVEL: 'warn' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** A TCP proxy that counts the bytes crossing it both ways. */
async function countingProxy(
  target: number,
): Promise<{ port: number; bytes(): number; reset(): void; server: Server }> {
  let bytes = 0;
  const server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    client.on('data', (chunk: Buffer) => (bytes += chunk.length));
    upstream.on('data', (chunk: Buffer) => (bytes += chunk.length));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // The proxy must not keep the benchmark alive once it is done.
  server.unref();
  return {
    port: (server.address() as AddressInfo).port,
    bytes: () => bytes,
    reset: () => (bytes = 0),
    server,
  };
}

/**
 * Writes dirty pages out (`sync`) so neither tool pays for the other's (or the tree generator's) writeback:
 * with hundreds of MiB dirty, ext4 stalls file creation, and a run took several times as long.
 */
function flushPageCache(): void {
  spawnSync('sync');
}

/** Waits until `port` accepts connections. */
async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let tries = 0; tries < 200; tries += 1) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(25);
  }
  throw new Error(`nothing listens on ${port}`);
}

/** Every file, link and directory under `root` with its content hash and mode. */
function snapshot(root: string): Map<string, string> {
  const entries = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path);
      const key = relative(root, path);
      if (stat.isDirectory()) {
        entries.set(key, 'dir');
        walk(path);
      } else {
        const digest = createHash('sha256').update(readFileSync(path)).digest('hex');
        entries.set(key, `${(stat.mode & 0o111) !== 0 ? 'x' : '-'} ${digest}`);
      }
    }
  };
  walk(root);
  return entries;
}
function sameTree(a: string, b: string): boolean {
  const left = snapshot(a);
  const right = snapshot(b);
  return left.size === right.size && [...left].every(([key, value]) => right.get(key) === value);
}

const work = mkdtempSync(join(tmpdir(), 'livepatch-bench-'));
const children: ChildProcess[] = [];
try {
  const src = join(work, 'src');
  const rsyncDest = join(work, 'rsync-dest');
  const agentRoot = join(work, 'agent-root');
  const certs = join(work, 'certs');
  for (const dir of [src, rsyncDest, agentRoot]) mkdirSync(dir, { recursive: true });
  const textFiles: string[] = [];
  for (let i = 0; i < 2000; i += 1) {
    const path = `src/m${i % 20}/g${i % 7}/file${i}.ts`;
    mkdirSync(join(src, dirname(path)), { recursive: true });
    writeFileSync(join(src, path), text(1024 + Math.floor(random() * 49 * 1024)));
    textFiles.push(path);
  }
  mkdirSync(join(src, 'bin'));
  for (const mib of [5, 20, 100])
    writeFileSync(join(src, `bin/${mib}m.bin`), randomBytes(mib << 20));

  // rsync daemon on 127.0.0.1, through a counting proxy.
  const rsyncPort = await freePort();
  writeFileSync(
    join(work, 'rsyncd.conf'),
    `pid file = ${join(work, 'rsyncd.pid')}\nuse chroot = no\n[dest]\n  path = ${rsyncDest}\n  read only = false\n  uid = 0\n  gid = 0\n`,
  );
  const rsyncd = spawn(
    'rsync',
    [
      '--daemon',
      '--no-detach',
      `--config=${join(work, 'rsyncd.conf')}`,
      `--port=${rsyncPort}`,
      '--address=127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  children.push(rsyncd);
  await waitForPort(rsyncPort, rsyncd);
  const rsyncProxy = await countingProxy(rsyncPort);

  // The LivePatch agent, through a counting proxy.
  spawnSync(livepatch, ['certs', 'init', '--out', certs], { stdio: 'ignore' });
  const agentPort = await freePort();
  const agent = spawn(
    agentBin,
    ['--root', agentRoot, '--listen', `127.0.0.1:${agentPort}`, '--certs', certs],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, VELOCITY_LOG_LEVEL: 'warn' } },
  );
  children.push(agent);
  await waitForPort(agentPort, agent);
  const agentProxy = await countingProxy(agentPort);

  interface Run {
    seconds: number;
    bytes: number;
  }
  const runRsync = async (): Promise<Run> => {
    rsyncProxy.reset();
    flushPageCache();
    const start = performance.now();
    const result = await run('rsync', [
      '-a',
      '--delete',
      `${src}/`,
      `rsync://127.0.0.1:${rsyncProxy.port}/dest/`,
    ]);
    if (result.code !== 0) throw new Error(`rsync failed: ${result.stderr}`);
    return { seconds: (performance.now() - start) / 1000, bytes: rsyncProxy.bytes() };
  };
  const runLivePatch = async (): Promise<Run> => {
    agentProxy.reset();
    flushPageCache();
    const start = performance.now();
    const result = await run(livepatch, [
      'sync',
      src,
      '--agent',
      `127.0.0.1:${agentProxy.port}`,
      '--certs',
      certs,
      '--once',
      '--json',
      '--cache-dir',
      join(work, 'cli-cache'),
    ]);
    const seconds = (performance.now() - start) / 1000;
    if (result.code !== 0) throw new Error(`livepatch sync failed: ${result.stderr}`);
    if (!sameTree(src, agentRoot)) {
      throw new Error('the agent root differs from the source after the sync');
    }
    return { seconds, bytes: agentProxy.bytes() };
  };

  const sets: Array<[string, () => void]> = [
    ['initial sync (empty root)', () => undefined],
    ['no change', () => undefined],
    [
      'one-line edit',
      () => appendFileSync(join(src, textFiles[7] as string), 'export const edited = 1;\n'),
    ],
    [
      '4 KiB changed mid 100 MiB',
      () => {
        const path = join(src, 'bin/100m.bin');
        const bytes = readFileSync(path);
        randomBytes(4096).copy(bytes, 50 << 20);
        writeFileSync(path, bytes);
      },
    ],
    ['100 B appended to 20 MiB', () => appendFileSync(join(src, 'bin/20m.bin'), randomBytes(100))],
    [
      '200 files edited',
      () => {
        for (const path of textFiles.slice(100, 300)) appendFileSync(join(src, path), '// edit\n');
      },
    ],
    [
      '50 added, 50 deleted, 10 renamed',
      () => {
        for (let i = 0; i < 50; i += 1)
          writeFileSync(join(src, `src/m${i % 20}/added${i}.ts`), text(4096));
        for (const path of textFiles.splice(400, 50)) rmSync(join(src, path));
        for (const [index, path] of textFiles.slice(500, 510).entries()) {
          const renamed = path.replace(/file(\d+)/, 'renamed$1');
          renameSync(join(src, path), join(src, renamed));
          textFiles[500 + index] = renamed;
        }
      },
    ],
    [
      '5 mode changes',
      () => {
        for (const path of textFiles.slice(600, 605)) chmodSync(join(src, path), 0o755);
      },
    ],
    ['no change (again)', () => undefined],
  ];

  const pad = (value: string, width: number) => value.padEnd(width);
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  process.stdout.write(
    `${pad('change set', 34)}${pad('livepatch bytes', 18)}${pad('rsync bytes', 15)}${pad('bytes ratio', 13)}${pad('livepatch time', 16)}${pad('rsync time', 12)}time ratio\n`,
  );
  for (const [name, change] of sets) {
    change();
    const rsync = await runRsync();
    const ours = await runLivePatch();
    const bytesOk =
      ours.bytes <= rsync.bytes && (!name.startsWith('no change') || ours.bytes < 2048);
    process.stdout.write(
      `${pad(name, 34)}${pad(kib(ours.bytes), 18)}${pad(kib(rsync.bytes), 15)}${pad(`${(ours.bytes / rsync.bytes).toFixed(2)}x${bytesOk ? '' : ' (NOT met)'}`, 13)}${pad(`${(ours.seconds * 1000).toFixed(0)} ms`, 16)}${pad(`${(rsync.seconds * 1000).toFixed(0)} ms`, 12)}${(ours.seconds / rsync.seconds).toFixed(2)}x\n`,
    );
  }

  if (!skipWatch) {
    await watchLatency({ src, agentRoot, certs, agentPort, textFiles });
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}

/**
 * Edits files one at a time under a running `livepatch sync` and times each edit until the agent has the
 * file, and until the supervised app got its reload signal (a second agent, with a signal rule).
 */
async function watchLatency(options: {
  src: string;
  agentRoot: string;
  certs: string;
  agentPort: number;
  textFiles: string[];
}): Promise<void> {
  const { src, certs } = options;
  // A second agent that supervises an app and signals it on every batch.
  const appDir = join(work, 'app');
  const root = join(work, 'signal-root');
  mkdirSync(appDir, { recursive: true });
  mkdirSync(root, { recursive: true });
  const signals = join(appDir, 'signals.log');
  writeFileSync(
    join(appDir, 'app.cjs'),
    `const fs = require('node:fs');\nprocess.on('SIGUSR2', () => fs.appendFileSync(${JSON.stringify(signals)}, Date.now() + '\\n'));\nsetInterval(() => {}, 1 << 30);\n`,
  );
  writeFileSync(
    join(appDir, 'velocity.yaml'),
    'livepatch:\n  reload:\n    - paths: ["**"]\n      action: signal\n      signal: SIGUSR2\n',
  );
  const port = await freePort();
  const signalAgent = spawn(
    agentBin,
    [
      '--root',
      root,
      '--listen',
      `127.0.0.1:${port}`,
      '--certs',
      certs,
      '--restart',
      '--',
      process.execPath,
      join(appDir, 'app.cjs'),
    ],
    { cwd: appDir, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  children.push(signalAgent);
  await waitForPort(port, signalAgent);

  const watchers = [options.agentPort, port].map((agentPort) => {
    const child = spawn(
      livepatch,
      ['sync', src, '--agent', `127.0.0.1:${agentPort}`, '--certs', certs, '--json'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(child);
    return child;
  });
  // The first batch of each watcher is the initial sync; wait for it.
  await Promise.all(
    watchers.map(
      (child) => new Promise<void>((resolve) => child.stdout?.once('data', () => resolve())),
    ),
  );
  await sleep(500);

  const replaced: number[] = [];
  const signalled: number[] = [];
  let missed = 0;
  for (let i = 0; i < edits; i += 1) {
    const path = options.textFiles[(i * 37) % options.textFiles.length] as string;
    const content = `${readFileSync(join(src, path), 'utf8')}// watch edit ${i}\n`;
    const signalsBefore = existsSync(signals)
      ? readFileSync(signals, 'utf8').split('\n').length
      : 0;
    const start = Date.now();
    const startHr = performance.now();
    writeFileSync(join(src, path), content);
    let gotFile: number | undefined;
    let gotSignal: number | undefined;
    while (
      performance.now() - startHr < 2000 &&
      (gotFile === undefined || gotSignal === undefined)
    ) {
      if (gotFile === undefined) {
        try {
          if (readFileSync(join(options.agentRoot, path), 'utf8') === content)
            gotFile = performance.now() - startHr;
        } catch {
          // not there yet
        }
      }
      if (gotSignal === undefined && existsSync(signals)) {
        const lines = readFileSync(signals, 'utf8').trim().split('\n');
        if (lines.length >= signalsBefore) {
          const last = Number(lines.at(-1));
          if (last >= start) gotSignal = last - start;
        }
      }
      await sleep(1);
    }
    if (gotFile === undefined || gotSignal === undefined) missed += 1;
    if (gotFile !== undefined) replaced.push(gotFile);
    if (gotSignal !== undefined) signalled.push(gotSignal);
    await sleep(50);
  }
  const percentile = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  };
  const line = (name: string, values: number[]) => {
    const p50 = percentile(values, 50);
    const p95 = percentile(values, 95);
    const met = p50 <= 40 && p95 <= 120 && missed === 0;
    return `${name.padEnd(24)}p50 ${p50.toFixed(1)} ms  p95 ${p95.toFixed(1)} ms  (target p50 <= 40, p95 <= 120, none missed: ${met ? 'met' : 'NOT met'})`;
  };
  process.stdout.write(
    `\nwatch mode, ${edits} edits, ${missed} missed (inotify+rsync loops ~114 ms, Syncthing ~780 ms)\n${line('edit -> replaced', replaced)}\n${line('edit -> app signalled', signalled)}\n`,
  );
}
