import { pino, type Logger as PinoLogger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { Scrubber, registerSecretEnv } from '../redact/index.js';
import { formatAddMask } from './github-mask.js';
import type { LogFormat, LogLevel } from './levels.js';
import { ScrubbingDestination, type DropCounter, type TextSink } from './scrubbing-destination.js';

/** Structured fields attached to one record or bound to a child logger. Values may be anything. */
export type LogFields = Record<string, unknown>;

/** A level method: a message, optionally with fields. */
export type LogMethod = (message: string, fields?: LogFields) => void;

/**
 * The logger every Velocity library receives (octokit's `debug/info/warn/error` shape, plus `child`).
 *
 * @remarks Every record is scrubbed before it is written; see {@link createLogger}.
 */
export interface Logger {
  trace: LogMethod;
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  fatal: LogMethod;
  /** A logger that adds `bindings` (scrubbed once, here) to every record; shares secrets and destination. */
  child(bindings: LogFields): Logger;
  /**
   * Registers a secret value with the shared scrubber (and masks it in GitHub Actions). A value shorter than
   * 8 characters is refused with a warning record.
   *
   * @param value - the secret
   * @param kind - names the replacement, `[REDACTED:<kind>]`
   * @returns whether the value was registered
   */
  registerSecret(value: string, kind?: string): boolean;
  /** Whether a record at `level` would be written. */
  isLevelEnabled(level: LogLevel): boolean;
  /** Records dropped because scrubbing failed (fail closed). */
  readonly droppedRecords: number;
  /** The scrubber shared by this logger and its children, e.g. for {@link createScrubStream}. */
  readonly scrubber: Scrubber;
}

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Least severe level written. @defaultValue `'info'` */
  level?: LogLevel;
  /** `auto` writes pretty text when `destination.isTTY`, JSON lines otherwise. @defaultValue `'auto'` */
  format?: LogFormat;
  /** Where records go. Velocity tools log to stderr, keeping stdout for results. */
  destination: TextSink & { isTTY?: boolean };
  /** Shares registered secrets between loggers (e.g. one on stderr and one on stdout). @defaultValue a new one */
  scrubber?: Scrubber;
  /**
   * The process environment. Values of variables whose names look secret are registered at creation, and
   * `GITHUB_ACTIONS=true` turns on `::add-mask::` commands. @defaultValue `{}`
   */
  env?: Record<string, string | undefined>;
  /** Receives `::add-mask::` workflow commands inside GitHub Actions (the runner reads stdout and stderr). */
  commandSink?: TextSink;
  /**
   * Secrets to register before anything is written, e.g. the config's secret fields; `kind` names the
   * replacement. Refused ones (shorter than 8 characters) are reported in one warning, by kind only.
   */
  secrets?: ReadonlyArray<{ value: string; kind: string }>;
  /** Bindings on every record, e.g. `{ name: 'dep-ci' }`. */
  base?: LogFields;
  /** Clock for record timestamps, ms since the epoch (tests pin it). @defaultValue `Date.now` */
  now?: () => number;
}

interface Shared {
  readonly scrubber: Scrubber;
  readonly counter: DropCounter;
  readonly mask: ((value: string) => void) | undefined;
}

/**
 * Creates a pino logger whose every record is scrubbed of secrets before it is written.
 *
 * @remarks
 * Each record's message and fields are scrubbed by {@link Scrubber.scrubString} and
 * {@link Scrubber.scrubValue} (registered secrets, token formats, secret-named keys; the caller's objects are
 * copied, never mutated), serialised by pino, then the written line gets a final pass for registered
 * secret values ({@link ScrubbingDestination}). If any step throws, the record is dropped and counted.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const scrubber = options.scrubber ?? new Scrubber();
  const env = options.env ?? {};
  const commandSink = options.commandSink;
  const shared: Shared = {
    scrubber,
    counter: { dropped: 0 },
    mask:
      env['GITHUB_ACTIONS'] === 'true' && commandSink !== undefined
        ? (value) => commandSink.write(formatAddMask(value))
        : undefined,
  };
  const format = options.format ?? 'auto';
  const pretty = format === 'pretty' || (format === 'auto' && options.destination.isTTY === true);
  const destination = new ScrubbingDestination(
    scrubber,
    options.destination,
    shared.counter,
    pretty ? prettyFactory({ colorize: options.destination.isTTY === true }) : undefined,
  );
  const now = options.now;
  const root = pino(
    {
      level: options.level ?? 'info',
      base: null,
      ...(now === undefined ? {} : { timestamp: () => `,"time":${now()}` }),
    },
    destination,
  );
  const logger = wrap(root.child(scrubBindings(shared, options.base ?? {})), shared);
  const refusedSecrets: string[] = [];
  for (const { value, kind } of options.secrets ?? []) {
    if (scrubber.addSecret(value, kind).added) shared.mask?.(value);
    else refusedSecrets.push(kind);
  }
  const { registered, refused } = registerSecretEnv(scrubber, env);
  if (shared.mask !== undefined) for (const name of registered) shared.mask(env[name] ?? '');
  if (refusedSecrets.length > 0) {
    logger.warn('Secrets too short to scrub were not registered', { kinds: refusedSecrets });
  }
  if (refused.length > 0) {
    logger.warn('Secret-looking environment variables were too short to scrub', { names: refused });
  }
  return logger;
}

/** Scrubs a child's bindings once; if that throws, the child gets none (fail closed) and the drop is counted. */
function scrubBindings(shared: Shared, bindings: LogFields): LogFields {
  if (Object.keys(bindings).length === 0) return bindings;
  try {
    return shared.scrubber.scrubValue(bindings) as LogFields;
  } catch {
    shared.counter.dropped += 1;
    return {};
  }
}

function wrap(target: PinoLogger, shared: Shared): Logger {
  const { scrubber, counter } = shared;
  const method =
    (level: Exclude<LogLevel, 'silent'>): LogMethod =>
    (message, fields) => {
      if (!target.isLevelEnabled(level)) return;
      let msg: string;
      let obj: unknown;
      try {
        msg = scrubber.scrubString(String(message));
        obj = fields === undefined ? undefined : scrubber.scrubValue(fields);
      } catch {
        counter.dropped += 1;
        return;
      }
      if (obj === undefined) target[level](msg);
      else target[level](obj, msg);
    };
  const logger: Logger = {
    trace: method('trace'),
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    fatal: method('fatal'),
    child: (bindings) => wrap(target.child(scrubBindings(shared, bindings)), shared),
    registerSecret: (value, kind) => {
      const result = scrubber.addSecret(value, kind);
      if (!result.added) {
        logger.warn('Secret not registered for scrubbing', {
          kind: kind ?? 'secret',
          reason: result.reason,
        });
        return false;
      }
      shared.mask?.(value);
      return true;
    },
    isLevelEnabled: (level) => target.isLevelEnabled(level),
    get droppedRecords() {
      return counter.dropped;
    },
    scrubber,
  };
  return logger;
}
