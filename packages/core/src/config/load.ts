/**
 * Loading the configuration. Precedence, lowest first: defaults, `velocity.yaml`, `VELOCITY_*` environment
 * variables, `--set` flags.
 *
 * @module
 */
import { readFile as readFileFromDisk } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { ConfigError } from '../errors.js';
import type { ConfigIssue } from '../errors.js';
import { coerceString } from './coerce.js';
import { CONFIG_FILE_ENV, matchEnv } from './env-source.js';
import { findConfigFile } from './find.js';
import { matchFlags } from './flag-source.js';
import { deepFreeze } from './freeze.js';
import type { DeepReadonly } from './freeze.js';
import { interpolate } from './interpolate.js';
import type { InterpolateContext } from './interpolate.js';
import { describeValue, describeZodIssue } from './issues.js';
import { formatPath, isPlainObject, valueAt } from './path.js';
import type { PathSegment } from './path.js';
import { velocityConfigSchema } from './schema.js';
import type { VelocityConfig } from './schema.js';
import { isSecretPath, knownKeysAt, leafPaths, schemaAt, secretValues } from './schema-tree.js';
import type { ConfigSource } from './source.js';
import { parseYamlSource } from './yaml-source.js';
import type { NodeLocation } from './yaml-source.js';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /**
   * Working directory: where the search for `velocity.yaml` starts, and the base of relative paths in `configFile`,
   * variables and flags.
   */
  cwd: string;
  /**
   * Environment variables (`process.env` in a CLI). `VELOCITY_CONFIG` names the config file when `configFile` is
   * not given; other `VELOCITY_*` variables set fields.
   */
  env: Readonly<Record<string, string | undefined>>;
  /** Config file from `--config` (absolute, or relative to `cwd`); it must exist. */
  configFile?: string;
  /**
   * Values from the command line, by dotted leaf path (`{'depCi.runner': 'vitest'}` for
   * `--set depCi.runner=vitest`). Strings are coerced like environment variables; other values are used as they
   * are. Either way they are validated.
   */
  flags?: Readonly<Record<string, unknown>>;
  /**
   * Reads a whole file as UTF-8: the config file and `${file:…}` references.
   * @defaultValue `fs.promises.readFile(path, 'utf8')`
   */
  readFile?: (path: string) => Promise<string>;
}

/** One secret value to scrub from logs. */
export interface ConfigSecret {
  /** Dotted path of the field holding it, e.g. `quantumMerge.githubToken` or `log.secrets[0]`. */
  path: string;
  /** The resolved value. */
  value: string;
}

/** Result of {@link loadConfig}. */
export interface LoadConfigResult {
  /** The validated configuration, deeply frozen. */
  config: DeepReadonly<VelocityConfig>;
  /** Absolute path of the config file that was read; absent when only defaults, variables and flags apply. */
  file?: string;
  /** Where each leaf of `config` came from: dotted leaf path → source, in schema order; unset leaves are absent. */
  sources: Map<string, ConfigSource>;
  /**
   * Secret values to register with the logger's scrubber before anything is logged: every value of a secret field
   * that is not a schema default, and everything read through `${file:…}`.
   */
  secrets: ConfigSecret[];
  /** Problems that do not stop loading, e.g. an unknown `VELOCITY_*` variable. */
  warnings: string[];
}

/** The name the CLI uses for {@link LoadConfigResult}. */
export type LoadedConfig = LoadConfigResult;

/** A leaf set by a variable or a flag. */
type Origin = ConfigSource & { kind: 'env' | 'flag' };

/**
 * Finds, reads, merges and validates the configuration.
 *
 * @remarks
 * Precedence, lowest first: schema defaults, the config file, `VELOCITY_*` variables, `flags`. A variable or flag
 * replaces a whole leaf (a list is replaced, not appended to). Strings from every source may hold `${env:NAME}`
 * and `${file:PATH}` references; relative file paths start at the config file's directory for values in the
 * file and at `cwd` for variables and flags. A file value that a variable or flag replaces is never resolved, so
 * its references need not resolve. A file with YAML errors contributes nothing but those errors.
 *
 * @throws {@link ConfigError} listing every problem found (YAML syntax, schema violations, unknown keys and flags,
 * unresolvable references, bad variables), each at the file:line:col of the offending node or naming the variable
 * or flag; file issues come first, by position. Messages never quote the value of a secret field, nor a value
 * holding a secret or something read through `${file:…}`.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadConfigResult> {
  const readFile = options.readFile ?? ((path: string) => readFileFromDisk(path, 'utf8'));
  const envConfigFile = options.env[CONFIG_FILE_ENV];
  const explicitFile = options.configFile ?? (envConfigFile === '' ? undefined : envConfigFile);
  const file = await findConfigFile(
    options.cwd,
    explicitFile === undefined
      ? {}
      : {
          configFile: explicitFile,
          configFileFrom: options.configFile === undefined ? CONFIG_FILE_ENV : '--config',
        },
  );
  const shownFile = file === undefined ? undefined : relative(options.cwd, file);

  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  /** Leaf path → the variable or flag that set it; the later (a flag) wins. */
  const origins = new Map<string, Origin>();
  let locations = new Map<string, NodeLocation>();
  /** Paths whose value already has an issue (a bad reference or coercion): the schema's view of them is noise. */
  const failed = new Set<string>();
  /** Strings from `${file:…}` references, by the path they were used at. */
  const fileSecrets: ConfigSecret[] = [];
  /** Values that cannot be coerced; reported once every secret is known, so none is quoted. */
  const uncoercible: Array<{
    path: PathSegment[];
    expected: string;
    value: string;
  }> = [];

  const env = matchEnv(options.env);
  warnings.push(...env.warnings);
  for (const entry of env.entries) origins.set(entry.path, { kind: 'env', name: entry.name });
  const flags = matchFlags(options.flags ?? {});
  issues.push(...flags.issues);
  for (const entry of flags.entries) origins.set(entry.path, { kind: 'flag', name: entry.path });

  /** An issue at `path`, located at the variable, flag or file node that set it. */
  const issueAt = (path: readonly PathSegment[], atKey: boolean, message: string): ConfigIssue => {
    const origin = findOrigin(origins, path);
    if (origin !== undefined) {
      const from = origin.kind === 'env' ? origin.name : `--set ${origin.name}`;
      return { path: `${formatPath(path)} (from ${from})`, message };
    }
    const position = shownFile === undefined ? undefined : findPosition(locations, path, atKey);
    return shownFile === undefined || position === undefined
      ? { path: formatPath(path), message }
      : { file: shownFile, ...position, path: formatPath(path), message };
  };

  /**
   * Interpolates every string in `value`. A string is then coerced to its field's type when it is a whole
   * variable or flag (`coerce`) or held a reference.
   */
  const resolveValue = async (
    value: unknown,
    path: PathSegment[],
    context: InterpolateContext,
    coerce: boolean,
  ): Promise<unknown> => {
    if (typeof value === 'string') {
      const result = await interpolate(value, context);
      if (!result.ok) {
        for (const problem of result.problems) issues.push(issueAt(path, false, problem));
        failed.add(formatPath(path));
        return value;
      }
      for (const contents of result.fileContents)
        fileSecrets.push({ path: formatPath(path), value: contents });
      const schema = schemaAt(path);
      if (schema === undefined || !(coerce || result.interpolated)) return result.value;
      const coerced = coerceString(schema, result.value);
      if (coerced.ok) return coerced.value;
      uncoercible.push({
        path,
        expected: coerced.expected,
        value: result.value,
      });
      failed.add(formatPath(path));
      return result.value;
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const [index, item] of value.entries())
        out.push(await resolveValue(item, [...path, index], context, false));
      return out;
    }
    if (isPlainObject(value)) {
      const entries: Array<[string, unknown]> = [];
      for (const [key, item] of Object.entries(value)) {
        if (origins.has(formatPath([...path, key]))) continue;
        entries.push([key, await resolveValue(item, [...path, key], context, false)]);
      }
      return Object.fromEntries(entries);
    }
    return value;
  };

  let raw: Record<string, unknown> = {};
  if (file !== undefined && shownFile !== undefined) {
    let text: string | undefined;
    try {
      text = await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      issues.push({
        file: shownFile,
        path: '',
        message: `cannot read the config file (${code}); check its permissions`,
      });
    }
    if (text !== undefined) {
      const parsed = parseYamlSource(text, shownFile);
      locations = parsed.locations;
      issues.push(...parsed.issues);
      warnings.push(...parsed.warnings);
      if (parsed.data !== undefined) {
        const context = { env: options.env, baseDir: dirname(file), readFile };
        raw = (await resolveValue(parsed.data, [], context, false)) as Record<string, unknown>;
      }
    }
  }
  const commandLine = { env: options.env, baseDir: options.cwd, readFile };
  for (const { path, value } of env.entries) {
    if (origins.get(path)?.kind !== 'env') continue;
    const segments = path.split('.');
    setLeaf(raw, segments, await resolveValue(value, segments, commandLine, true));
  }
  for (const { path, value } of flags.entries) {
    const segments = path.split('.');
    setLeaf(raw, segments, await resolveValue(value, segments, commandLine, true));
  }

  const knownSecrets = [...fileSecrets, ...secretValues(raw)].map((secret) => secret.value);
  const hideValue = (path: readonly PathSegment[], value: unknown): boolean =>
    isSecretPath(path) ||
    (typeof value === 'string' && knownSecrets.some((secret) => value.includes(secret)));
  for (const { path, expected, value } of uncoercible) {
    const got = hideValue(path, value) ? '' : `, got ${describeValue(value)}`;
    issues.push(issueAt(path, false, `expected ${expected}${got}`));
  }
  const parsed = velocityConfigSchema.safeParse(raw, { reportInput: true });
  for (const zodIssue of parsed.error?.issues ?? []) {
    const knownKeys = (at: readonly PathSegment[]) => knownKeysAt(at) ?? [];
    for (const { path, atKey, message } of describeZodIssue(zodIssue, {
      hideValue,
      knownKeys,
    })) {
      const alreadyReported = path.some((_, index) =>
        failed.has(formatPath(path.slice(0, index + 1))),
      );
      if (!alreadyReported) issues.push(issueAt(path, atKey, message));
    }
  }
  if (!parsed.success || issues.length > 0) throw new ConfigError(inSourceOrder(issues));

  const config = parsed.data;
  const sources = collectSources(config, origins, locations, shownFile);
  return {
    config: deepFreeze(config),
    ...(file === undefined ? {} : { file }),
    sources,
    secrets: collectSecrets(config, sources, fileSecrets),
    warnings,
  };
}

/** The variable or flag that set `path` or the leaf containing it. */
function findOrigin(
  origins: ReadonlyMap<string, Origin>,
  path: readonly PathSegment[],
): Origin | undefined {
  for (let length = path.length; length > 0; length--) {
    const origin = origins.get(formatPath(path.slice(0, length)));
    if (origin !== undefined) return origin;
  }
  return undefined;
}

/**
 * Where `path` is written: its own node, or the nearest enclosing one when the file does not have it (a missing
 * key is reported at the mapping that lacks it). For an unknown key (`atKey`), the key rather than its value.
 */
function findPosition(
  locations: ReadonlyMap<string, NodeLocation>,
  path: readonly PathSegment[],
  atKey: boolean,
): { line: number; column: number } | undefined {
  for (let length = path.length; length >= 0; length--) {
    const location = locations.get(formatPath(path.slice(0, length)));
    if (location !== undefined) {
      return atKey && length === path.length ? (location.key ?? location.value) : location.value;
    }
  }
  /* c8 ignore next -- the root ('') is always located when there is a file */
  return undefined;
}

/** The source of every leaf of `config` that is set, in schema order. */
function collectSources(
  config: VelocityConfig,
  origins: ReadonlyMap<string, Origin>,
  locations: ReadonlyMap<string, NodeLocation>,
  shownFile: string | undefined,
): Map<string, ConfigSource> {
  const sources = new Map<string, ConfigSource>();
  for (const leaf of leafPaths()) {
    if (valueAt(config, leaf.split('.')) === undefined) continue;
    const origin = origins.get(leaf);
    const location = locations.get(leaf);
    sources.set(
      leaf,
      origin ??
        (location === undefined || shownFile === undefined
          ? { kind: 'default' }
          : {
              kind: 'file',
              file: shownFile,
              line: location.value.line,
              column: location.value.column,
            }),
    );
  }
  return sources;
}

/**
 * Secret field values not from a schema default (defaults are published in the JSON Schema), plus
 * `${file:…}` contents; each path/value pair once.
 */
function collectSecrets(
  config: VelocityConfig,
  sources: ReadonlyMap<string, ConfigSource>,
  fileSecrets: readonly ConfigSecret[],
): ConfigSecret[] {
  const fromDefault = (path: readonly PathSegment[]): boolean =>
    path.some((_, index) => sources.get(formatPath(path.slice(0, index + 1)))?.kind === 'default');
  const fieldSecrets = secretValues(config)
    .filter(({ path }) => !fromDefault(path))
    .map(({ path, value }) => ({ path: formatPath(path), value }));
  const seen = new Set<string>();
  return [...fieldSecrets, ...fileSecrets].filter(({ path, value }) => {
    const key = `${path}\0${value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Sets the leaf at `path` in `root`, creating its section; a section that is not a mapping is left for the schema to reject. */
function setLeaf(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    const next = node[key] ?? {};
    if (!isPlainObject(next)) return;
    node[key] = next;
    node = next;
  }
  node[path[path.length - 1] as string] = value;
}

/** File issues by line and column, then the others (flags, variables) in the order found. */
function inSourceOrder(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const inFile = issues.filter((issue) => issue.line !== undefined);
  const elsewhere = issues.filter((issue) => issue.line === undefined);
  inFile.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return [...inFile, ...elsewhere];
}
