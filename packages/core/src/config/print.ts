/**
 * Printing the resolved configuration, with secrets redacted (`velocity config` output).
 *
 * @module
 */
import { stringify } from 'yaml';
import type { LoadConfigResult } from './load.js';
import { isPlainObject, valueAt } from './path.js';
import { isSecretPath, leafPaths } from './schema-tree.js';
import type { PathSegment } from './path.js';
import { formatSource } from './source.js';

/** What every secret value is printed as. */
export const REDACTED = '[REDACTED]';

/** Options of {@link formatConfig}. */
export interface FormatConfigOptions {
  /** One line per leaf with its source instead of a document. */
  sources: boolean;
  /** Document format when `sources` is false. */
  format: 'yaml' | 'json';
}

/**
 * Formats a loaded configuration as text ending in a newline.
 *
 * @remarks
 * Secret fields, and any string containing one of `loaded.secrets` (e.g. read through `${file:…}`), are shown as
 * `[REDACTED]`. With `sources`, each set leaf is one line, `path = <JSON value>  # <source>`, with the `=` and
 * `#` columns aligned, e.g. `log.level = "debug"  # env VELOCITY_LOG_LEVEL`.
 */
export function formatConfig(
  loaded: Pick<LoadConfigResult, 'config' | 'sources' | 'secrets'>,
  options: FormatConfigOptions,
): string {
  const secretValues = loaded.secrets.map((secret) => secret.value);
  const redact = (value: unknown, path: PathSegment[]): unknown => {
    // Validated secret fields are strings (a list of secrets is a list of secret fields).
    if (isSecretPath(path)) return REDACTED;
    if (typeof value === 'string')
      return secretValues.some((secret) => value.includes(secret)) ? REDACTED : value;
    if (Array.isArray(value)) return value.map((item, index) => redact(item, [...path, index]));
    if (isPlainObject(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, redact(item, [...path, key])]),
      );
    }
    return value;
  };
  const redacted = redact(loaded.config, []) as Record<string, unknown>;

  if (!options.sources) {
    return options.format === 'json'
      ? `${JSON.stringify(redacted, null, 2)}\n`
      : stringify(redacted);
  }
  const rows: Array<[string, string, string]> = [];
  for (const leaf of leafPaths()) {
    const source = loaded.sources.get(leaf);
    if (source === undefined) continue;
    rows.push([leaf, JSON.stringify(valueAt(redacted, leaf.split('.'))), formatSource(source)]);
  }
  const pathWidth = Math.max(...rows.map(([path]) => path.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  return rows
    .map(
      ([path, value, source]) =>
        `${path.padEnd(pathWidth)} = ${value.padEnd(valueWidth)}  # ${source}\n`,
    )
    .join('');
}
