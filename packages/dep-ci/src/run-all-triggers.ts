import { posix } from 'node:path';
import picomatch from 'picomatch';

/** Lock files of npm, Yarn, pnpm, Bun, Poetry, Pipenv, uv and pip-tools. */
const LOCKFILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
  'poetry.lock',
  'Pipfile.lock',
  'uv.lock',
  'pdm.lock',
]);

/** Configuration that changes how every file is compiled, resolved or run (basename patterns). */
const CONFIG_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/^tsconfig(\..+)?\.json$|^jsconfig(\..+)?\.json$/, 'TypeScript config'],
  [/^(\.babelrc(\..+)?|babel\.config\.[cm]?[jt]s(on)?)$/, 'Babel config'],
  [/^jest\.(config|setup)(\..+)?\.[cm]?[jt]s(on)?$|^jest\.config\.json$/, 'Jest config'],
  [
    /^(vitest|vite)\.(config|workspace)(\..+)?\.[cm]?[jt]s$|^vitest\.workspace\.json$/,
    'Vitest config',
  ],
  [/^\.mocharc(\..+)?$/, 'Mocha config'],
  [/^\.taprc$/, 'tap config'],
  [/^playwright\.config\.[cm]?[jt]s$/, 'Playwright config'],
  [
    /^(pytest\.ini|tox\.ini|setup\.cfg|pyproject\.toml|setup\.py|requirements(-[\w.-]+)?\.txt|Pipfile)$/,
    'Python project config',
  ],
  [/^\.env(\..+)?$/, '.env file'],
  [
    /^\.swcrc$|^\.nvmrc$|^\.node-version$|^\.npmrc$|^\.yarnrc(\.yml)?$|^pnpm-workspace\.yaml$/,
    'toolchain config',
  ],
  [/^velocity\.ya?ml$/, 'Velocity config'],
];

/** package.json fields that change what is installed or how modules resolve. */
const PACKAGE_JSON_FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
  'bundleDependencies',
  'bundledDependencies',
  'overrides',
  'resolutions',
  'pnpm',
  'workspaces',
  'exports',
  'imports',
  'main',
  'module',
  'browser',
  'types',
  'typings',
  'type',
  'jest',
  'babel',
  'engines',
] as const;

/** Options of {@link findRunAllReasons}. */
export interface RunAllTriggerOptions {
  /** Changed paths (root-relative POSIX), old paths of renames included. */
  changed: readonly string[];
  /** `depCi.runAllOn` globs. */
  runAllOn: readonly string[];
  /** Unparsable files → why. */
  unparsable: ReadonlyMap<string, string>;
  /**
   * The text of `path` at the base and at the head of the change (`undefined` where it does not exist), to
   * tell a package.json whose dependencies changed from one whose version or description did.
   */
  readVersions: (path: string) => Promise<{ base: string | undefined; head: string | undefined }>;
}

/**
 * Why a change must run every test: it touches what the import graph cannot see through.
 *
 * @remarks
 * Triggers: lock files; the dependency, resolution and runner fields of any package.json (or one that
 * cannot be parsed); TypeScript, Babel, test-runner and Python project config; `.env` files;
 * `velocity.yaml`; files matching `depCi.runAllOn`; changed files that could not be parsed.
 *
 * @returns one reason per trigger, e.g. `lockfile changed: package-lock.json`, sorted by path
 */
export async function findRunAllReasons(options: RunAllTriggerOptions): Promise<string[]> {
  const reasons: string[] = [];
  const runAllOn = options.runAllOn.map((glob) => ({
    glob,
    match: picomatch(glob, { dot: true }),
  }));
  for (const path of [...new Set(options.changed)].sort()) {
    const name = posix.basename(path);
    if (LOCKFILES.has(name)) reasons.push(`lockfile changed: ${path}`);
    else if (name === 'package.json') {
      const fields = await changedPackageFields(path, options.readVersions);
      if (fields.length > 0) reasons.push(`${fields.join(', ')} changed in ${path}`);
    } else {
      const config = CONFIG_PATTERNS.find(([pattern]) => pattern.test(name));
      if (config !== undefined) reasons.push(`${config[1]} changed: ${path}`);
    }
    const glob = runAllOn.find(({ match }) => match(path));
    if (glob !== undefined) reasons.push(`matches depCi.runAllOn "${glob.glob}": ${path}`);
    const error = options.unparsable.get(path);
    if (error !== undefined) reasons.push(`cannot parse ${path}: ${error}`);
  }
  return reasons;
}

/** The package.json fields that differ between base and head; `['package.json']` when either is not JSON. */
async function changedPackageFields(
  path: string,
  readVersions: RunAllTriggerOptions['readVersions'],
): Promise<string[]> {
  const { base, head } = await readVersions(path);
  const before = parseObject(base);
  const after = parseObject(head);
  if (before === null || after === null) return ['package.json (unreadable)'];
  return PACKAGE_JSON_FIELDS.filter(
    (field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]),
  );
}

/** `{}` for a missing file, the object for a JSON object, `null` for anything else. */
function parseObject(text: string | undefined): Record<string, unknown> | null {
  if (text === undefined) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
