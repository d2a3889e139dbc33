import type { CAC, Command } from 'cac';
import type { CliIo } from './cli-io.js';
import { loadConfig, type LoadedConfig } from './config/index.js';
import { UsageError } from './errors.js';
import { createLogger, type Logger } from './logger/index.js';
import type { Scrubber } from './redact/index.js';
import { renderHelp } from './run-cli.js';

/**
 * Turns repeated `--set path=value` flags (cac gives one string or an array) into dotted-path overrides for
 * `loadConfig`'s `flags`; the schema coerces the string values like environment variables.
 *
 * @throws {@link UsageError} when a flag has no `=` or an empty path
 */
/**
 * Adds the options every Velocity CLI takes: `--config`, `--set` (with an example key of the tool's own
 * section), `--verbose`, `-h, --help` and `-v, --version`.
 *
 * @param setExample - e.g. `depCi.runner=vitest`, shown in the help of `--set`
 * @returns `cli`, for chaining
 */
export function addCommonOptions(cli: CAC, setExample: string): CAC {
  return cli
    .option('--config <file>', 'Config file (default: velocity.yaml found upwards from the cwd)')
    .option('--set <path=value>', `Override a config key, e.g. --set ${setExample} (repeatable)`)
    .option('--verbose', 'Print stacks and cause chains of errors')
    .option('-h, --help', 'Display this message')
    .option('-v, --version', 'Display the version');
}

export function parseSetFlags(value: unknown): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  const items = value === undefined ? [] : Array.isArray(value) ? value : [value];
  for (const item of items.map(String)) {
    const eq = item.indexOf('=');
    if (eq <= 0) {
      throw new UsageError(
        `Malformed --set "${item}". Use --set path=value, e.g. --set log.level=debug.`,
      );
    }
    flags[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return flags;
}

/**
 * The logger of a Velocity CLI: on stderr (stdout carries only results), at the configured level and
 * format, with the config's secrets registered before its first record and `::add-mask::` commands on
 * stderr inside GitHub Actions. Config warnings are logged at once.
 *
 * @param tool - the binary's name, bound as `name` on every record
 */
export function createCliLogger(
  tool: string,
  loaded: LoadedConfig,
  scrubber: Scrubber,
  io: CliIo,
): Logger {
  const logger = createLogger({
    destination: io.stderr,
    // The runner reads workflow commands from both streams, and stdout carries only results
    // (`velocity scrub > file` must never hold a secret).
    commandSink: io.stderr,
    env: io.env,
    level: loaded.config.log.level,
    format: loaded.config.log.format,
    scrubber,
    secrets: loaded.secrets.map(({ path, value }) => ({ value, kind: path })),
    base: { name: tool },
  });
  for (const warning of loaded.warnings) logger.warn(warning);
  return logger;
}

/**
 * What every Velocity CLI does before running a command: `-h, --help` and `-v, --version` print and end the
 * run; a missing or unknown command, an unknown option, a missing option value or argument is a usage error.
 *
 * @param cli - the program, parsed with `{ run: false }`
 * @param parsed - what `cli.parse` returned
 * @param version - printed by `--version`
 * @returns the matched command, or `undefined` when help or the version was printed (exit 0)
 * @throws {@link UsageError} for a missing or unknown command; cac's own errors for options and arguments
 */
export function matchCommand(
  cli: CAC,
  parsed: { args: readonly string[]; options: Record<string, unknown> },
  io: CliIo,
  version: string,
): Command | undefined {
  if (parsed.options['help'] === true) {
    io.stdout.write(renderHelp(cli));
    return undefined;
  }
  if (parsed.options['version'] === true) {
    io.stdout.write(`${version}\n`);
    return undefined;
  }
  const command = cli.matchedCommand;
  if (command === undefined) {
    const word = parsed.args[0];
    throw new UsageError(
      word === undefined
        ? `No command given. Run ${cli.name} --help for the commands.`
        : `Unknown command "${word}". Run ${cli.name} --help for the commands.`,
    );
  }
  command.checkUnknownOptions();
  command.checkOptionValue();
  command.checkRequiredArgs();
  return command;
}

/**
 * A string option as cac parsed it: a repeated option comes as an array and the last one wins; numbers
 * (cac converts numeric values) become strings.
 *
 * @returns the value, or `undefined` when the option is absent or a flag
 */
export function stringOption(options: Record<string, unknown>, name: string): string | undefined {
  const raw = options[name];
  const value: unknown = Array.isArray(raw) ? raw.at(-1) : raw;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** Every value of a repeatable option (`--host a --host b`), as strings; empty when absent. */
export function listOption(options: Record<string, unknown>, name: string): string[] {
  const raw = options[name];
  const values: unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values.map(String);
}

/**
 * The config and logger of one CLI run: `velocity.yaml` (or `--config FILE`), `VELOCITY_*` variables,
 * `--set path=value` flags and the tool's own flags that stand for config keys (`toolFlags`, dotted path →
 * value; they rank with `--set`, above file and environment), then {@link createCliLogger}.
 *
 * @param options - cac's parsed options (`config`, `set`)
 * @throws `ConfigError` when the config is invalid; {@link UsageError} for a malformed `--set`
 */
export async function loadCliConfig(
  tool: string,
  io: CliIo,
  options: Record<string, unknown>,
  scrubber: Scrubber,
  toolFlags: Record<string, unknown> = {},
): Promise<{ loaded: LoadedConfig; logger: Logger }> {
  const configFile = stringOption(options, 'config');
  const loaded = await loadConfig({
    cwd: io.cwd,
    env: io.env,
    ...(configFile === undefined ? {} : { configFile }),
    flags: { ...parseSetFlags(options['set']), ...toolFlags },
  });
  return { loaded, logger: createCliLogger(tool, loaded, scrubber, io) };
}
