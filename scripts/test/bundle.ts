import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { run } from './helpers/run.js';

const BUNDLE = resolve(import.meta.dirname, '..', 'bundle.mjs');
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function bundle(cwd: string, ...args: string[]) {
  return run(process.execPath, [BUNDLE, 'bin/x.cjs', ...args], cwd);
}

/** A binary package like packages/core: a `.cjs` shim requiring `src/cli.ts`, which imports `./util.js`. */
function fixturePackage(cli: string, extra: Record<string, string> = {}) {
  return {
    'package.json': JSON.stringify({
      name: 'x',
      private: true,
      type: 'module',
    }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        verbatimModuleSyntax: true,
        noEmit: true,
      },
      include: ['src', 'bin'],
    }),
    bin: {
      'x.cjs':
        "require('../src/cli.ts').main(process.argv.slice(2)).then(c => { process.exitCode = c })\n",
    },
    src: {
      'cli.ts': cli,
      'util.ts': "export const VERSION: string = '1.2.3';\nexport type Argv = readonly string[];\n",
      ...extra,
    },
  };
}

const VERSION_CLI = `import { VERSION } from './util.js';
import type { Argv } from './util.js';
export async function main(argv: Argv): Promise<number> {
  if (argv[0] === '--version') console.log(VERSION);
  return 0;
}
`;

t.test('bundles a .cjs shim that requires TypeScript with .js specifiers', async (t) => {
  const dir = t.testdir(fixturePackage(VERSION_CLI));
  const result = await bundle(dir);
  t.equal(result.code, 0, result.stderr);
  t.match(result.stderr, /^bundle: dist[/\\]x\.cjs \d+ bytes in [\d.]+s \(--version: 1\.2\.3\)$/m);
  t.ok(existsSync(join(dir, 'dist', 'x.cjs')));
  t.notOk(existsSync(join(dir, 'dist', 'bin')), 'no single executable without --sea');
  t.equal((await run(process.execPath, ['dist/x.cjs', '--version'], dir)).stdout, '1.2.3\n');
});

t.test('fails and names the chunk that a dynamic import() emits', async (t) => {
  const cli = VERSION_CLI.replace('return 0;', "await import('./other.js');\n  return 0;");
  const dir = t.testdir(fixturePackage(cli, { 'other.ts': 'export const other = 1;\n' }));
  const result = await bundle(dir);
  t.equal(result.code, 1);
  t.match(
    result.stderr,
    /^bundle: error: ncc emitted 1 file\(s\) besides x\.cjs: \d+\.x\.cjs\.js\. /m,
  );
  t.notOk(existsSync(join(dir, 'dist', 'x.cjs')), 'writes no bundle');
});

t.test('fails at the smoke run when an import is missing', async (t) => {
  const dir = t.testdir(
    fixturePackage(`import { nope } from './missing.js';\n${VERSION_CLI}void nope;\n`),
  );
  const result = await bundle(dir);
  t.equal(result.code, 1);
  t.match(
    result.stderr,
    /^bundle: error: Smoke run "dist[/\\]x\.cjs --version" exited 1: .*Cannot find module '\.\/missing\.js'/m,
  );
});

t.test('rejects usage errors with exit code 2', async (t) => {
  const dir = t.testdir(fixturePackage(VERSION_CLI));
  const result = await bundle(dir, '--asset', 'a=b');
  t.equal(result.code, 2);
  t.equal(
    result.stderr,
    'bundle: error: --asset only applies to the single executable. Add --sea.\n',
  );
});

const ASSET_CLI = `import { getAsset, isSea } from 'node:sea';
import { VERSION } from './util.js';
export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === '--version') console.log(VERSION);
  if (argv[0] === 'greet') console.log(isSea() ? getAsset('greeting', 'utf8') : 'not a SEA');
  return 0;
}
`;

t.test('--sea builds an executable that runs elsewhere and reads its assets', async (t) => {
  const dir = t.testdir({
    ...fixturePackage(ASSET_CLI),
    'greeting.txt': 'hello from an asset',
  });
  const result = await bundle(dir, '--sea', '--asset', 'greeting=greeting.txt');
  if (!readFileSync(process.execPath).includes(`${SEA_FUSE}:0`)) {
    t.equal(result.code, 1);
    t.match(result.stderr, /has no SEA fuse/);
    return;
  }
  t.equal(result.code, 0, result.stderr);
  const exe = process.platform === 'win32' ? 'x.exe' : 'x';
  t.match(result.stderr, /^bundle: dist[/\\]bin[/\\]x(\.exe)? \d+ bytes in /m);
  const config = JSON.parse(readFileSync(join(dir, 'dist', 'sea-config.json'), 'utf8')) as {
    assets: Record<string, string>;
  };
  t.strictSame(config.assets, { greeting: join(dir, 'greeting.txt') });

  // A directory outside the repository, with no node_modules to fall back on.
  const elsewhere = mkdtempSync(join(tmpdir(), 'bundle-test-'));
  t.teardown(() => rmSync(elsewhere, { recursive: true, force: true }));
  const copy = join(elsewhere, exe);
  copyFileSync(join(dir, 'dist', 'bin', exe), copy);
  t.strictSame(await run(copy, ['--version'], elsewhere), {
    code: 0,
    stdout: '1.2.3\n',
    stderr: '',
  });
  t.strictSame(await run(copy, ['greet'], elsewhere), {
    code: 0,
    stdout: 'hello from an asset\n',
    stderr: '',
  });
});

const WORKER_CLI = `import { getAsset } from 'node:sea';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { VERSION } from './util.js';
export async function main(argv: readonly string[]): Promise<number> {
  if (!isMainThread) {
    parentPort?.postMessage(\`worker \${String(workerData)} \${VERSION}\`);
    return 0;
  }
  if (argv[0] === '--version') console.log(VERSION);
  if (argv[0] === 'worker') {
    const worker = new Worker(getAsset('x.cjs', 'utf8'), { eval: true, workerData: 'hi' });
    console.log(await new Promise((resolve) => worker.once('message', resolve)));
    await worker.terminate();
  }
  return 0;
}
`;

t.test('--embed-bundle lets the executable start worker threads from its own bundle', async (t) => {
  const dir = t.testdir(fixturePackage(WORKER_CLI));
  const result = await bundle(dir, '--sea', '--embed-bundle', 'x.cjs');
  if (!readFileSync(process.execPath).includes(`${SEA_FUSE}:0`)) {
    t.equal(result.code, 1);
    return;
  }
  t.equal(result.code, 0, result.stderr);
  const config = JSON.parse(readFileSync(join(dir, 'dist', 'sea-config.json'), 'utf8')) as {
    assets: Record<string, string>;
  };
  t.strictSame(config.assets, { 'x.cjs': join(dir, 'dist', 'x.cjs') });

  const elsewhere = mkdtempSync(join(tmpdir(), 'bundle-test-'));
  t.teardown(() => rmSync(elsewhere, { recursive: true, force: true }));
  const exe = process.platform === 'win32' ? 'x.exe' : 'x';
  const copy = join(elsewhere, exe);
  copyFileSync(join(dir, 'dist', 'bin', exe), copy);
  t.strictSame(await run(copy, ['worker'], elsewhere), {
    code: 0,
    stdout: 'worker hi 1.2.3\n',
    stderr: '',
  });
});

t.test('--embed-bundle needs --sea and a name of its own', async (t) => {
  const dir = t.testdir({ ...fixturePackage(VERSION_CLI), 'a.txt': 'a' });
  t.strictSame(await bundle(dir, '--embed-bundle', 'x.cjs'), {
    code: 2,
    stdout: '',
    stderr: 'bundle: error: --embed-bundle only applies to the single executable. Add --sea.\n',
  });
  t.strictSame(await bundle(dir, '--sea', '--asset', 'a=a.txt', '--embed-bundle', 'a'), {
    code: 2,
    stdout: '',
    stderr: 'bundle: error: Bad --embed-bundle "a": empty or also an --asset name.\n',
  });
});
