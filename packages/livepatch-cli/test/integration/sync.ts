/**
 * End to end: the built `livepatch` and `livepatch-agent` executables over loopback with certificates made
 * by `livepatch certs init` for this run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';

const packages = join(import.meta.dirname, '../../..');
const livepatch = join(packages, 'livepatch-cli/dist/bin/livepatch');
const agentBin = join(packages, 'livepatch-agent/dist/bin/livepatch-agent');
const built = existsSync(livepatch) && existsSync(agentBin);

/** Every entry below `root`: type, mode's executable bit, content hash or link target. */
function treeOf(root: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const key = path.slice(root.length + 1);
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) entries[key] = `link ${readlinkSync(path)}`;
      else if (stat.isDirectory()) {
        entries[key] = 'dir';
        walk(path);
      } else {
        const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
        entries[key] = `${stat.mode & 0o100 ? 'x' : '-'} ${hash}`;
      }
    }
  };
  walk(root);
  return entries;
}

/** Starts the agent on a free port and resolves with the port it printed. */
async function startAgent(
  t: Test,
  args: string[],
  cwd: string,
): Promise<{ port: number; child: ChildProcess; stderr: () => string }> {
  const child = spawn(agentBin, [...args, '--listen', '127.0.0.1:0'], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VELOCITY_LOG_FORMAT: 'json' },
  });
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  let stderr = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /"port":(\d+)/.exec(stderr);
      if (match !== null) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`agent exited with ${code}: ${stderr}`)));
  });
  return { port, child, stderr: () => stderr };
}

function sync(args: string[], cwd: string) {
  const result = spawnSync(livepatch, ['sync', ...args], { cwd, encoding: 'utf8' });
  return {
    status: result.status,
    stderr: result.stderr,
    summary:
      result.status === 0
        ? (JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>)
        : undefined,
  };
}

t.test('sync --once mirrors every change kind byte for byte', { skip: !built }, async (t) => {
  const dir = t.testdir({ src: { 'a.ts': 'export const a = 1;\n', sub: {} }, root: {} });
  const src = join(dir, 'src');
  const root = join(dir, 'root');
  t.equal(spawnSync(livepatch, ['certs', 'init', '--out', 'certs'], { cwd: dir }).status, 0);
  const agent = await startAgent(t, ['--root', root, '--certs', 'certs'], dir);
  const once = () =>
    sync(
      [
        src,
        '--agent',
        `127.0.0.1:${agent.port}`,
        '--certs',
        'certs',
        '--once',
        '--json',
        '--cache-dir',
        join(dir, 'cache'),
      ],
      dir,
    );
  writeFileSync(join(src, 'sub/big.bin'), randomBytes(3 << 20));
  writeFileSync(join(src, 'sub/log.txt'), 'line\n'.repeat(5000));
  symlinkSync('a.ts', join(src, 'link'));

  const steps: Array<[string, () => void]> = [
    ['initial sync', () => undefined],
    ['edit', () => appendFileSync(join(src, 'a.ts'), 'export const b = 2;\n')],
    [
      'large binary edit',
      () => {
        const bytes = readFileSync(join(src, 'sub/big.bin'));
        randomBytes(4096).copy(bytes, 1 << 20);
        writeFileSync(join(src, 'sub/big.bin'), bytes);
      },
    ],
    ['append', () => appendFileSync(join(src, 'sub/log.txt'), 'more\n')],
    [
      'add, delete, rename',
      () => {
        writeFileSync(join(src, 'new.ts'), 'new\n');
        rmSync(join(src, 'a.ts'));
        renameSync(join(src, 'sub/big.bin'), join(src, 'moved.bin'));
        mkdirSync(join(src, 'empty'));
      },
    ],
    ['mode change', () => chmodSync(join(src, 'new.ts'), 0o755)],
    [
      'symlink retarget',
      () => (rmSync(join(src, 'link')), symlinkSync('new.ts', join(src, 'link'))),
    ],
  ];
  for (const [name, change] of steps) {
    change();
    const result = once();
    t.equal(result.status, 0, `${name}: exit 0 ${result.stderr}`);
    t.strictSame(treeOf(root), treeOf(src), `${name}: the agent's root equals the source`);
  }
  const big = sync(
    [src, '--agent', `127.0.0.1:${agent.port}`, '--certs', 'certs', '--once', '--json'],
    dir,
  );
  t.ok((big.summary?.['bytesTotal'] ?? Infinity) < 2048, 'no change costs under 2 KiB');
  t.strictSame(Object.keys(big.summary ?? {}), [
    'filesChanged',
    'filesDeleted',
    'bytesSent',
    'bytesReceived',
    'bytesTotal',
    'ms',
  ]);
});

t.test('a rename sends no payload, a delta only the change', { skip: !built }, async (t) => {
  const dir = t.testdir({ src: {}, root: {} });
  const src = join(dir, 'src');
  t.equal(spawnSync(livepatch, ['certs', 'init', '--out', 'certs'], { cwd: dir }).status, 0);
  const agent = await startAgent(t, ['--root', join(dir, 'root'), '--certs', 'certs'], dir);
  const args = [
    src,
    '--agent',
    `127.0.0.1:${agent.port}`,
    '--certs',
    'certs',
    '--once',
    '--json',
    '--cache-dir',
    join(dir, 'cache'),
  ];
  writeFileSync(join(src, 'data.bin'), randomBytes(1 << 20));
  t.equal(sync(args, dir).status, 0);
  renameSync(join(src, 'data.bin'), join(src, 'renamed.bin'));
  t.ok((sync(args, dir).summary?.['bytesSent'] ?? Infinity) < 1024, 'rename: under 1 KiB sent');
  const bytes = readFileSync(join(src, 'renamed.bin'));
  bytes[500_000] = (bytes[500_000] ?? 0) ^ 0xff;
  writeFileSync(join(src, 'renamed.bin'), bytes);
  t.ok(
    (sync(args, dir).summary?.['bytesSent'] ?? Infinity) < 8 * 1024,
    'one byte changed: under 8 KiB sent',
  );
});

t.test(
  'a client certificate from another CA is refused at the handshake',
  { skip: !built },
  async (t) => {
    const dir = t.testdir({ src: { 'a.txt': 'a\n' }, root: {} });
    t.equal(spawnSync(livepatch, ['certs', 'init', '--out', 'certs'], { cwd: dir }).status, 0);
    t.equal(spawnSync(livepatch, ['certs', 'init', '--out', 'other'], { cwd: dir }).status, 0);
    const agent = await startAgent(t, ['--root', join(dir, 'root'), '--certs', 'certs'], dir);
    const result = sync(
      [join(dir, 'src'), '--agent', `127.0.0.1:${agent.port}`, '--certs', 'other', '--once'],
      dir,
    );
    t.not(result.status, 0);
    t.match(result.stderr, /livepatch: error: /);
    t.strictSame(readdirSync(join(dir, 'root')), [], 'nothing was written');
  },
);

t.test('watch mode replaces an edited file at the agent', { skip: !built }, async (t) => {
  const dir = t.testdir({ src: { 'a.txt': 'one\n' }, root: {} });
  const src = join(dir, 'src');
  t.equal(spawnSync(livepatch, ['certs', 'init', '--out', 'certs'], { cwd: dir }).status, 0);
  const agent = await startAgent(t, ['--root', join(dir, 'root'), '--certs', 'certs'], dir);
  const watcher = spawn(
    livepatch,
    ['sync', src, '--agent', `127.0.0.1:${agent.port}`, '--certs', 'certs', '--json'],
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  t.teardown(() => {
    watcher.kill('SIGKILL');
  });
  await new Promise((resolve) => watcher.stdout?.once('data', resolve));
  for (let i = 0; i < 5; i += 1) {
    writeFileSync(join(src, 'a.txt'), `edit ${i}\n`);
    const start = Date.now();
    while (Date.now() - start < 3000) {
      if (readFileSync(join(dir, 'root/a.txt'), 'utf8') === `edit ${i}\n`) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    t.equal(readFileSync(join(dir, 'root/a.txt'), 'utf8'), `edit ${i}\n`, `edit ${i} arrived`);
  }
  watcher.kill('SIGINT');
  const code = await new Promise((resolve) => watcher.on('close', resolve));
  t.equal(code, 130, 'SIGINT stops watch mode with 130');
});

t.test('a crash after a restart rolls the batch back', { skip: !built }, async (t) => {
  const dir = t.testdir({
    src: { 'app.cjs': 'setInterval(() => {}, 1000);\n' },
    root: { 'app.cjs': 'setInterval(() => {}, 1000);\n' },
    'velocity.yaml':
      'livepatch:\n  rollbackWindowMs: 3000\n  reload:\n    - paths: ["**/*.cjs"]\n      action: restart\n',
  });
  const src = join(dir, 'src');
  const root = join(dir, 'root');
  t.equal(spawnSync(livepatch, ['certs', 'init', '--out', 'certs'], { cwd: dir }).status, 0);
  const agent = await startAgent(
    t,
    [
      '--root',
      root,
      '--certs',
      'certs',
      '--restart',
      '--',
      process.execPath,
      join(root, 'app.cjs'),
    ],
    dir,
  );
  writeFileSync(join(src, 'app.cjs'), 'process.exit(3);\n');
  const result = sync(
    [src, '--agent', `127.0.0.1:${agent.port}`, '--certs', 'certs', '--once', '--json'],
    dir,
  );
  t.equal(result.status, 0, result.stderr);
  const start = Date.now();
  while (Date.now() - start < 8000 && !/rollback/.test(agent.stderr())) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.match(agent.stderr(), /rollback/, 'the agent reports the rollback');
  t.equal(
    readFileSync(join(root, 'app.cjs'), 'utf8'),
    'setInterval(() => {}, 1000);\n',
    'the old app is back',
  );
});
