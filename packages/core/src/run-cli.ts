import type { CAC } from 'cac';
import { inspect } from 'node:util';
import type { CliIo } from './cli-io.js';
import { EXIT_CODES, InternalError, UsageError, VelocityError } from './errors.js';
import type { Scrubber } from './redact/index.js';

/** Where users file bugs; printed with an {@link InternalError} or an unexpected error. */
export const ISSUES_URL = 'https://github.com/velocity-ci/velocity/issues/new';

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Binary name used in messages: `<tool>: error: <message>`. */
  tool: string;
  io: CliIo;
  /** Print the stack and cause chain of errors. */
  verbose: boolean;
  /** Scrubs error messages and stacks before they are printed. */
  scrubber: Scrubber;
}

/**
 * Runs a CLI body and maps its outcome to an exit code, printing errors as one line on stderr.
 *
 * @remarks
 * Exit codes: the body's own code on success; 2 for {@link UsageError}, `ConfigError` and cac's parse
 * errors; 1 for other failures; 130 when `io.signal` was aborted (SIGINT), 143 when aborted with the reason
 * `'SIGTERM'`. Every printed message goes
 * through the scrubber. An error that is not a {@link VelocityError} is a bug: the message says so and
 * links {@link ISSUES_URL}.
 *
 * @returns the process exit code
 */
export async function runCli(options: RunCliOptions, body: () => Promise<number>): Promise<number> {
  const { tool, io, verbose, scrubber } = options;
  try {
    const code = await body();
    return io.signal.aborted ? abortedCode(io.signal) : code;
  } catch (error: unknown) {
    if (io.signal.aborted) return abortedCode(io.signal);
    const known = toVelocityError(error);
    const lines = known.message.split('\n');
    let text = `${tool}: error: ${lines[0] ?? ''}\n${lines
      .slice(1)
      .map((line) => `  ${line}\n`)
      .join('')}`;
    if (known instanceof InternalError) {
      text += `${tool}: this is a bug in Velocity; please report it with the --verbose output at ${ISSUES_URL}\n`;
    }
    if (verbose) text += formatStack(known);
    io.stderr.write(scrubber.scrubString(text));
    return known.exitCode;
  }
}

/** 143 after SIGTERM (`abort('SIGTERM')`), 130 after SIGINT or any other abort. */
function abortedCode(signal: AbortSignal): number {
  return signal.reason === 'SIGTERM' ? EXIT_CODES.terminated : EXIT_CODES.interrupted;
}

function toVelocityError(error: unknown): VelocityError {
  if (error instanceof VelocityError) return error;
  if (error instanceof Error && error.name === 'CACError') {
    return new UsageError(`${error.message}. Run with --help for usage.`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new InternalError(`Unexpected error: ${message}`, { cause: error });
}

function formatStack(error: unknown): string {
  let text = '';
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth += 1) {
    text +=
      current instanceof Error ? `${current.stack ?? current.message}\n` : `${inspect(current)}\n`;
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) text += 'Caused by: ';
  }
  return text;
}

/**
 * Renders cac's help for the matched command (or the global help) as text instead of printing it.
 *
 * @privateRemarks cac only prints help with `console.info`; swapping it for one synchronous call keeps
 * stdout injectable.
 */
export function renderHelp(cli: CAC): string {
  const original = console.info;
  let text = '';
  console.info = (value: unknown) => {
    text += `${String(value)}\n`;
  };
  try {
    cli.outputHelp();
  } finally {
    console.info = original;
  }
  return text;
}
