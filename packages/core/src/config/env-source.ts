/**
 * Matching `VELOCITY_*` environment variables to config fields.
 *
 * @module
 */
import { leafPaths } from './schema-tree.js';
import { suggest } from './suggest.js';

/** Prefix of every Velocity environment variable. */
const ENV_PREFIX = 'VELOCITY_';

/** The variable naming the config file, like `--config`; not a field. */
export const CONFIG_FILE_ENV = 'VELOCITY_CONFIG';

/** One environment variable that sets a field. */
export interface EnvEntry {
  /** Dotted leaf path, e.g. `depCi.runner`. */
  path: string;
  /** Variable name, e.g. `VELOCITY_DEP_CI_RUNNER`. */
  name: string;
  /** The raw value, before interpolation and coercion. */
  value: string;
}

/** Result of {@link matchEnv}. */
export interface EnvMatch {
  /** Variables that set a field, sorted by name; at most one per field. */
  entries: EnvEntry[];
  /** Unknown `VELOCITY_*` variables and variables that lost to another one setting the same field. */
  warnings: string[];
}

/** The canonical variable for a leaf path: `depCi.runner` → `VELOCITY_DEP_CI_RUNNER`. */
export function envNameFor(path: string): string {
  return (
    ENV_PREFIX +
    path
      .split('.')
      .map((key) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase())
      .join('_')
  );
}

/** Uppercase with `_` and `.` removed, so `DEP_CI_RUNNER`, `DEPCI_RUNNER` and `depCi.runner` compare equal. */
function normalise(name: string): string {
  return name.replace(/[_.]/g, '').toUpperCase();
}

/**
 * Finds the `VELOCITY_*` variables in `env` that set a field.
 *
 * @remarks
 * A variable matches the leaf whose dotted path equals the part after `VELOCITY_` once both are normalised
 * (uppercased, `_` and `.` removed). Empty values count as unset. `VELOCITY_CONFIG` is skipped: it names the
 * file. When two variables set the same field, the canonical name ({@link envNameFor}) wins and the other is
 * reported in `warnings`. Cost: O(variables + leaves).
 */
export function matchEnv(env: Readonly<Record<string, string | undefined>>): EnvMatch {
  const byNormalised = new Map(leafPaths().map((path) => [normalise(path), path]));
  const entries = new Map<string, EnvEntry>();
  const warnings: string[] = [];
  const names = Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && name !== CONFIG_FILE_ENV && env[name] !== '')
    .sort();
  for (const name of names) {
    const value = env[name];
    if (value === undefined) continue;
    const normalised = normalise(name.slice(ENV_PREFIX.length));
    const path = byNormalised.get(normalised);
    if (path === undefined) {
      const close = byNormalised.get(suggest(normalised, byNormalised.keys()) ?? '');
      const hint = close === undefined ? '' : ` (did you mean ${envNameFor(close)}?)`;
      warnings.push(`ignoring unknown environment variable ${name}${hint}`);
      continue;
    }
    const previous = entries.get(path);
    if (previous === undefined || name === envNameFor(path)) {
      if (previous !== undefined)
        warnings.push(`ignoring ${previous.name}: ${name} also sets ${path}`);
      entries.set(path, { path, name, value });
    } else {
      warnings.push(`ignoring ${name}: ${previous.name} also sets ${path}`);
    }
  }
  return {
    entries: [...entries.values()].sort((a, b) => a.name.localeCompare(b.name)),
    warnings,
  };
}
