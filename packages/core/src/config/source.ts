/**
 * Where a config value came from.
 *
 * @module
 */

/**
 * The source of one leaf value, from lowest to highest precedence: a schema default, the config file, a
 * `VELOCITY_*` environment variable, or a `--set` flag.
 */
export type ConfigSource =
  | { kind: 'default' }
  | {
      kind: 'file';
      /** The file as shown to the user: relative to the working directory. */
      file: string;
      /** 1-based line of the value. */
      line: number;
      /** 1-based column of the value. */
      column: number;
    }
  | {
      kind: 'env';
      /** Variable name, e.g. `VELOCITY_LOG_LEVEL`. */
      name: string;
    }
  | {
      kind: 'flag';
      /** The dotted path given on the command line, e.g. `depCi.runner` for `--set depCi.runner=vitest`. */
      name: string;
    };

/** Formats a source: `default`, `velocity.yaml:3:11`, `env VELOCITY_LOG_LEVEL`, `flag --set depCi.runner`. */
export function formatSource(source: ConfigSource): string {
  switch (source.kind) {
    case 'default':
      return 'default';
    case 'file':
      return `${source.file}:${source.line}:${source.column}`;
    case 'env':
      return `env ${source.name}`;
    case 'flag':
      return `flag --set ${source.name}`;
  }
}
