#!/usr/bin/env node
/**
 * Bundle a Velocity binary package into one CommonJS file and, optionally, a Node.js single executable.
 *
 * @example
 * ```sh
 * # from a package directory (what `npm run build` does)
 * node ../../scripts/bundle.mjs bin/velocity.cjs                 # dist/velocity.cjs
 * node ../../scripts/bundle.mjs bin/velocity.cjs --sea           # + dist/bin/velocity[.exe]
 * node ../../scripts/bundle.mjs bin/livepatch-agent.cjs --sea --asset livepatch.proto=proto/livepatch/v1/livepatch.proto
 * node ../../scripts/bundle.mjs bin/dep-ci.cjs --sea --embed-bundle dep-ci.cjs  # + the bundle as an asset
 * ```
 *
 * Options: `--sea` builds the single executable, `--asset name=path` (repeatable, needs `--sea`) embeds a file,
 * `--drop-asset name` (repeatable) discards one file ncc emits that the program never reads (e.g. pino's
 * transport workers, which Velocity does not use; the smoke runs prove the bundle works without it; a
 * `--drop-asset` that ncc no longer emits is an error, so the list cannot go stale), `--embed-bundle name`
 * (needs `--sea`) also embeds the bundle itself as the asset `name`, for starting worker threads in the
 * single executable (see below), `--out dir` changes the output directory (default `dist`).
 * Exit codes: 0 built, 1 build failed, 2 usage error.
 * Progress and one summary line per artefact go to stderr; failures print one line, `bundle: error: <message>`.
 *
 * Steps:
 * 1. ncc (`transpileOnly`, no minify or source map, es2022) bundles `bin/<tool>.cjs` into `<out>/<tool>.cjs`.
 *    The entry must be a `.cjs` shim: ncc emits ESM for any other entry in a `"type": "module"` package, and an
 *    ESM main script fails as a SEA. The bundle is never named `.js` (STYLE bundling facts 1, 2, 5).
 * 2. Any extra file ncc wants to emit fails the build and is named in the message. It is a chunk from a dynamic
 *    `import()` or a file the code reads next to itself. Non-JS files go in as SEA assets (`--asset`) or are inlined.
 * 3. `node <copy> --version` runs from an empty temp directory, so nothing can resolve from node_modules. It must
 *    exit 0 and print something, because ncc turns an unresolved import into a run-time "Cannot find module".
 * 4. With `--sea`, the script follows https://nodejs.org/api/single-executable-applications.html. It writes
 *    `<out>/sea-config.json` and runs `node --experimental-sea-config`. It copies `process.execPath` to
 *    `<out>/bin/<tool>[.exe]`, then uses postject to inject the blob and flip the SEA fuse. On macOS it removes
 *    the signature before injecting and signs ad hoc after. It then runs `--version` on a copy in an empty temp
 *    directory. This needs an official Node.js binary (nodejs.org, actions/setup-node). Builds that link a shared
 *    libnode, as some distro packages do, have no fuse in the executable and are rejected.
 *
 * Reading assets in the app (Node ≥ 20.12). The bundled code keeps `node:` requires as builtins:
 * ```ts
 * import { getAsset, isSea } from 'node:sea';
 * const proto = isSea() ? getAsset('livepatch.proto', 'utf8') : readFileSync(PROTO_PATH, 'utf8');
 * ```
 *
 * Worker threads in the single executable. A SEA's `require` loads builtins only and no file on disk holds the
 * bundle, so `new Worker(__filename)` cannot work there. Build with `--embed-bundle <tool>.cjs` and start the
 * worker from the asset; the `.cjs` shim must then branch on the thread (`isMainThread`, `workerData`) and run
 * the worker's code instead of the CLI. `getAsset` works in worker threads too. The plain bundle starts
 * workers from its own file.
 * ```ts
 * new Worker(getAsset('<tool>.cjs', 'utf8'), { eval: true, workerData: { role: 'parse' } });
 * ```
 *
 * ncc and TypeScript: what makes the shim's `require('../src/cli.ts')` work.
 * - ncc compiles `.ts` with ts-loader. It uses the `typescript` package resolvable from the entry (the
 *   workspace's), falling back to its built-in one.
 * - `.js` specifiers resolve to `.ts` with no config. When `./x.js` fails to resolve from a `.ts` importer,
 *   ncc's resolver plugin retries `./x` with `.ts` among the extensions.
 * - ncc reads the nearest `tsconfig.json` between the entry and the cwd, so run the script from the package
 *   directory. It reads `extends` with tsconfig-paths' loader, which only follows relative and node_modules
 *   paths. With an absolute `extends`, ncc forces `module: esnext`, ts-loader still sees `moduleResolution:
 *   NodeNext`, and the build fails with TS5110. Keep `"extends": "../../tsconfig.base.json"`.
 * - ts-loader transpiles each file on its own, so `.ts` sources become CommonJS modules inside the bundle.
 *   Top-level `await` is not available, and `import.meta.url` is rewritten from `__filename`. Types are not
 *   checked here; `tsc -p .` does that.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import ncc from '@vercel/ncc';

/** Fuse string in official Node.js binaries that postject flips to `:1` (Node SEA docs). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const SMOKE_TIMEOUT_MS = 60_000;
const USAGE =
  'usage: node ../../scripts/bundle.mjs bin/<tool>.cjs [--sea] [--asset name=path ...] [--drop-asset name ...] [--embed-bundle name] [--out dist]';

/** A failure with a one-line message for the user; `exitCode` 2 means a usage error. */
class BundleError extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.name = 'BundleError';
    this.exitCode = exitCode;
  }
}

/**
 * Parse argv into `{entry, tool, sea, assets, outDir}`, or `null` for `--help`.
 * Paths are absolute; `assets` maps asset name → file path (for `--embed-bundle`, the bundle to be written).
 */
function parseOptions(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        sea: { type: 'boolean', default: false },
        asset: { type: 'string', multiple: true, default: [] },
        'drop-asset': { type: 'string', multiple: true, default: [] },
        'embed-bundle': { type: 'string' },
        out: { type: 'string', default: 'dist' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new BundleError(`${error.message.split('. ')[0]}. ${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) return null;
  const [entryArg = ''] = positionals;
  if (positionals.length !== 1 || !entryArg.endsWith('.cjs')) {
    const got = positionals.join(' ');
    throw new BundleError(`Expected one bin/<tool>.cjs entry, got "${got}". ${USAGE}`, 2);
  }
  if (!existsSync(entryArg)) {
    throw new BundleError(`Entry "${entryArg}" not found. Run from the package directory.`, 2);
  }
  if (values.asset.length > 0 && !values.sea) {
    throw new BundleError('--asset only applies to the single executable. Add --sea.', 2);
  }
  if (values['embed-bundle'] !== undefined && !values.sea) {
    throw new BundleError('--embed-bundle only applies to the single executable. Add --sea.', 2);
  }
  const assets = new Map();
  for (const spec of values.asset) {
    const eq = spec.indexOf('=');
    const [name, file] = [spec.slice(0, eq), spec.slice(eq + 1)];
    if (eq <= 0 || file === '') {
      throw new BundleError(`Bad --asset "${spec}". Use --asset name=path.`, 2);
    }
    if (assets.has(name)) {
      throw new BundleError(`Duplicate --asset name "${name}".`, 2);
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw new BundleError(`Asset file "${file}" not found.`, 2);
    }
    assets.set(name, resolve(file));
  }
  const entry = resolve(entryArg);
  const tool = basename(entry, '.cjs');
  const embedBundle = values['embed-bundle'];
  if (embedBundle !== undefined) {
    if (embedBundle === '' || assets.has(embedBundle)) {
      throw new BundleError(
        `Bad --embed-bundle "${embedBundle}": empty or also an --asset name.`,
        2,
      );
    }
    // The bundle is written before the SEA is built; the SEA config reads it from there.
    assets.set(embedBundle, join(resolve(values.out), `${tool}.cjs`));
  }
  return {
    entry,
    tool,
    sea: values.sea,
    assets,
    dropAssets: new Set(values['drop-asset']),
    outDir: resolve(values.out),
  };
}

/** The environment for child processes, without a parent's NODE_OPTIONS (tap's loader, --require hooks). */
function childEnv() {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

/** Run a helper command, failing with its stderr. */
function run(command, args) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: childEnv(),
  });
  if (result.error) {
    throw new BundleError(`${command} failed to start: ${result.error.message}.`);
  }
  if (result.status !== 0) {
    const stderr = result.stderr.trim().replaceAll('\n', ' ');
    throw new BundleError(`${command} ${args.join(' ')} exited ${result.status}: ${stderr}`);
  }
}

/**
 * Compile `entry` with ncc and return the bundle source, failing if ncc emitted any other file than those
 * named in `dropAssets`, or did not emit one of those.
 */
async function compile(entry, tool, dropAssets) {
  let result;
  try {
    result = await ncc(entry, {
      filename: `${tool}.cjs`,
      transpileOnly: true,
      minify: false,
      sourceMap: false,
      quiet: true,
      target: 'es2022',
    });
  } catch (error) {
    const lines = String(error?.message ?? error)
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const hint = lines.some((line) => line.includes('TS5110'))
      ? ' Check that tsconfig.json "extends" is a relative path (see scripts/bundle.mjs).'
      : '';
    throw new BundleError(`ncc failed: ${[...new Set(lines)].join(' ')}${hint}`);
  }
  const emitted = [...Object.keys(result.assets), ...Object.keys(result.symlinks ?? {})];
  const stale = [...dropAssets].filter((name) => !emitted.includes(name));
  if (stale.length > 0) {
    throw new BundleError(
      `--drop-asset ${stale.sort().join(', ')}: ncc no longer emits it. Remove it from the build script.`,
    );
  }
  const extra = emitted.filter((name) => !dropAssets.has(name));
  if (extra.length > 0) {
    throw new BundleError(
      `ncc emitted ${extra.length} file(s) besides ${tool}.cjs: ${extra.sort().join(', ')}. ` +
        'Remove dynamic import() (it makes chunks); embed other files with --asset or inline them.',
    );
  }
  return result.code;
}

/**
 * Copy `file` into an empty temp directory and run `--version` there, with `command(copy)` giving the argv.
 * Returns the first line printed; fails if the run exits non-zero or prints nothing.
 */
function smokeRun(file, command) {
  const dir = mkdtempSync(join(tmpdir(), 'velocity-bundle-'));
  const shown = relative(process.cwd(), file);
  try {
    const copy = join(dir, basename(file));
    copyFileSync(file, copy);
    chmodSync(copy, 0o755);
    const [program, ...args] = command(copy);
    const result = spawnSync(program, [...args, '--version'], {
      cwd: dir,
      env: childEnv(),
      encoding: 'utf8',
      timeout: SMOKE_TIMEOUT_MS,
    });
    if (result.error) {
      throw new BundleError(`Smoke run of ${shown} failed to start: ${result.error.message}.`);
    }
    const stdout = result.stdout.trim();
    if (result.status === 0 && stdout !== '') return stdout.split('\n')[0];

    const how =
      result.status === 0 ? 'printed nothing' : `exited ${result.status ?? result.signal}`;
    const lines = result.stderr.split('\n').map((line) => line.trim());
    const why = lines.find((line) => /^\w*Error\b.*:/.test(line)) ?? lines.find(Boolean);
    throw new BundleError(
      `Smoke run "${shown} --version" ${how}${why ? `: ${why}` : ''}. ` +
        'A missing import or file only fails at run time.',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}

/** Fail unless `process.execPath` carries an unflipped SEA fuse. */
function assertSeaCapableNode() {
  const binary = readFileSync(process.execPath);
  if (binary.includes(`${SEA_FUSE}:1`)) {
    throw new BundleError(
      `${process.execPath} is itself a single executable. Build with a plain node.`,
    );
  }
  if (!binary.includes(`${SEA_FUSE}:0`)) {
    throw new BundleError(
      `${process.execPath} (Node ${process.version}) has no SEA fuse, so it cannot become a single ` +
        'executable; distro builds that link a shared libnode lack it. ' +
        'Use the official build (nodejs.org, actions/setup-node).',
    );
  }
}

/** Inject `blob` into the executable `exe` as Node's SEA resource and flip the fuse. */
async function injectBlob(exe, blob) {
  // Imported lazily: postject's WASM module installs process-wide error handlers.
  const { inject } = (await import('postject')).default;
  // LIEF prints harmless "Can't find string offset for section name '.note.100'" warnings for ELF
  // (nodejs/postject#83) through console.warn, which postject's WASM module binds on each inject() call.
  const { warn } = console;
  console.warn = (...args) => {
    if (!String(args[0]).startsWith("warning: Can't find string offset")) warn(...args);
  };
  try {
    await inject(exe, 'NODE_SEA_BLOB', blob, {
      sentinelFuse: SEA_FUSE,
      ...(process.platform === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}),
    });
  } catch (error) {
    throw new BundleError(`postject could not inject into ${exe}: ${error.message}`);
  } finally {
    console.warn = warn;
  }
}

/** Path of the single executable for `tool`. */
function seaPath({ tool, outDir }) {
  return join(outDir, 'bin', process.platform === 'win32' ? `${tool}.exe` : tool);
}

/** Delete this tool's outputs from an earlier run, so a failed build leaves no stale artefact. */
function removeOutputs({ tool, outDir }) {
  for (const name of [`${tool}.cjs`, `${tool}.blob`, 'sea-config.json']) {
    rmSync(join(outDir, name), { force: true });
  }
  rmSync(seaPath({ tool, outDir }), { force: true });
}

/** Build `<outDir>/bin/<tool>[.exe]` from the bundle and return its path. */
async function buildSea({ tool, assets, outDir }, bundlePath) {
  assertSeaCapableNode();
  const configPath = join(outDir, 'sea-config.json');
  const blobPath = join(outDir, `${tool}.blob`);
  const config = {
    main: bundlePath,
    output: blobPath,
    disableExperimentalSEAWarning: true,
    // V8 code cache of the bundle: faster start-up. Built natively on each platform, as the cache needs.
    useCodeCache: true,
    assets: Object.fromEntries(assets),
  };
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  run(process.execPath, ['--experimental-sea-config', configPath]);

  const exe = seaPath({ tool, outDir });
  mkdirSync(dirname(exe), { recursive: true });
  copyFileSync(process.execPath, exe);
  chmodSync(exe, 0o755); // the source may be read-only, e.g. in a tool cache
  if (process.platform === 'darwin') run('codesign', ['--remove-signature', exe]);
  await injectBlob(exe, readFileSync(blobPath));
  if (process.platform === 'darwin') run('codesign', ['--sign', '-', exe]);
  // Windows: node.exe's Authenticode signature is now invalid but the binary runs; re-sign it if users need it.
  return exe;
}

/** Print `bundle: <path> <bytes> bytes in <seconds>s (--version: <output>)` to stderr. */
function report(file, startMs, version) {
  const seconds = ((performance.now() - startMs) / 1000).toFixed(1);
  const size = statSync(file).size;
  const shown = relative(process.cwd(), file);
  process.stderr.write(`bundle: ${shown} ${size} bytes in ${seconds}s (--version: ${version})\n`);
}

async function main(argv) {
  const options = parseOptions(argv);
  if (options === null) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  mkdirSync(options.outDir, { recursive: true });
  removeOutputs(options);

  let start = performance.now();
  const bundlePath = join(options.outDir, `${options.tool}.cjs`);
  writeFileSync(bundlePath, await compile(options.entry, options.tool, options.dropAssets));
  report(
    bundlePath,
    start,
    smokeRun(bundlePath, (copy) => [process.execPath, copy]),
  );

  if (options.sea) {
    start = performance.now();
    const exe = await buildSea(options, bundlePath);
    report(
      exe,
      start,
      smokeRun(exe, (copy) => [copy]),
    );
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof BundleError)) throw error;
  process.stderr.write(`bundle: error: ${error.message}\n`);
  process.exitCode = error.exitCode;
}
