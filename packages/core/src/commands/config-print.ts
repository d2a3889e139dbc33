import type { CliIo } from '../cli-io.js';
import { formatConfig, type LoadedConfig } from '../config/index.js';
import { UsageError } from '../errors.js';

/** Options of `velocity config print`. */
export interface ConfigPrintOptions {
  /** Show each key's value and where it came from. */
  sources: boolean;
  /** Output format of the resolved config (ignored with `sources`). */
  format: string;
}

/**
 * `velocity config print`: writes the resolved configuration to stdout, secrets as `[REDACTED]`.
 *
 * @throws {@link UsageError} when `format` is not `yaml` or `json`
 * @returns exit code 0
 */
export function configPrint(loaded: LoadedConfig, options: ConfigPrintOptions, io: CliIo): number {
  const { format } = options;
  if (format !== 'yaml' && format !== 'json') {
    throw new UsageError(`Unknown format "${format}". Use --format yaml or --format json.`);
  }
  const text = formatConfig(loaded, { sources: options.sources, format });
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return 0;
}
