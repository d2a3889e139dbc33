import { isUtf8, type Buffer } from 'node:buffer';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createScrubStream, type Logger, type Scrubber } from '@velocity/core';
import { EventBusOptionError } from './errors.js';

/** Where a record comes from: the app's stdout or stderr, or the agent itself (proto `LogEvent.stream`). */
export const LOG_STREAMS = ['stdout', 'stderr', 'event'] as const;

/** One of {@link LOG_STREAMS}. */
export type LogStream = (typeof LOG_STREAMS)[number];

/** The output streams of a child process, one of {@link LOG_STREAMS} but `event`. */
export type OutputStream = Exclude<LogStream, 'event'>;

/**
 * What an agent event is about (proto `LogEvent.kind`).
 *
 * @remarks
 * `batch-applied`: a batch was written; `reload`: a reload action of a batch ran (one per
 * `ReloadReport`); `restart`: the supervised app was started or stopped; `rollback`: a batch was
 * undone after the app crashed; `crash`: the app exited on its own with an error; `exec`: output
 * of a command run by an `exec` rule (on records whose stream is `stdout`/`stderr`).
 */
export const AGENT_EVENT_KINDS = [
  'batch-applied',
  'reload',
  'restart',
  'rollback',
  'crash',
  'exec',
] as const;

/** One of {@link AGENT_EVENT_KINDS}. */
export type AgentEventKind = (typeof AGENT_EVENT_KINDS)[number];

/**
 * One line of app output or one agent event, scrubbed: the shape of the proto's `LogEvent`.
 *
 * @remarks Frozen once stored; the same object is given to every subscriber and kept in the ring buffer.
 */
export interface AgentLogRecord {
  /** When it was recorded, ms since the Unix epoch. */
  readonly timeMs: number;
  readonly stream: LogStream;
  /** Set on agent events, and on the output of `exec` commands (`exec`). */
  readonly kind?: AgentEventKind;
  /** One line without its line break, scrubbed of secrets; at most `maxTextLength` characters. */
  readonly text: string;
  /** The batch the record is about, when there is one (the CLI's batch id). */
  readonly batchId?: string;
}

/** What {@link AgentEventBus.record} takes: a record without its time. Text is scrubbed on the way in. */
export interface AgentLogInput {
  stream: LogStream;
  kind?: AgentEventKind;
  text: string;
  batchId?: string;
}

/** Receives every record stored after it subscribed, synchronously, in order. */
export type AgentLogListener = (record: AgentLogRecord) => void;

/** Options of {@link AgentEventBus.pipe}. */
export interface PipeOutputOptions {
  /** Set on every record of this output, e.g. `exec` for an exec command's output. */
  kind?: AgentEventKind;
  /** Set on every record of this output. */
  batchId?: string;
}

/** Options of {@link AgentEventBus}. */
export interface AgentEventBusOptions {
  /**
   * Scrubs every text before it is stored; share the logger's (`logger.scrubber`) so that secrets
   * registered anywhere are removed here too.
   */
  scrubber: Scrubber;
  /** Records kept for `livepatch logs` without `--follow`, the oldest dropped first. An integer ≥ 1. @defaultValue 1000 */
  capacity?: number;
  /**
   * Longest text stored, in UTF-16 code units; longer texts are cut (after scrubbing) and end with
   * `…[truncated]`. Bounds the ring buffer's memory. An integer ≥ 64. @defaultValue 16384
   */
  maxTextLength?: number;
  /**
   * How long an unterminated output line (a prompt) is held before it is stored anyway, in ms of no
   * new output; see core's `createScrubStream`. @defaultValue 50
   */
  flushAfterMs?: number;
  /** Clock for `timeMs`, ms since the Unix epoch. @defaultValue `Date.now` */
  now?: () => number;
  /** Told when a subscriber throws. @defaultValue no-op */
  logger?: Pick<Logger, 'warn'>;
}

const DEFAULT_CAPACITY = 1000;
const DEFAULT_MAX_TEXT_LENGTH = 16 * 1024;
const MIN_MAX_TEXT_LENGTH = 64;
const TRUNCATED = '…[truncated]';
const LF = 0x0a;
const CR = 0x0d;

function checkInteger(option: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new EventBusOptionError(option, value, `an integer >= ${min}`);
  }
  return value;
}

/** Decodes one line as {@link createScrubStream} did: UTF-8 when valid, else Latin-1. */
function decodeLine(bytes: Buffer): string {
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
}

/**
 * Splits the output of a scrub stream into lines and hands each to `emit`.
 *
 * @privateRemarks
 * The scrub stream writes whole lines with their breaks, or a held partial line on its own (a prompt,
 * or the front of an over-long line), so the text after the last break of a chunk is a unit of its own.
 * A `\r\n` split across two chunks arrives as `\r` then `\n`; the `\n` is not an extra empty line.
 */
class LineWriter extends Writable {
  readonly #emit: (text: string) => void;
  #afterCr = false;

  constructor(emit: (text: string) => void) {
    super();
    this.#emit = emit;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    let start = this.#afterCr && chunk[0] === LF ? 1 : 0;
    this.#afterCr = false;
    for (let index = start; index < chunk.length; index += 1) {
      const byte = chunk[index];
      if (byte !== LF && byte !== CR) continue;
      this.#emit(decodeLine(chunk.subarray(start, index)));
      if (byte === CR) {
        if (index + 1 === chunk.length) this.#afterCr = true;
        else if (chunk[index + 1] === LF) index += 1;
      }
      start = index + 1;
    }
    if (start < chunk.length) this.#emit(decodeLine(chunk.subarray(start)));
    callback();
  }
}

/**
 * The agent's log: app output and agent events, scrubbed, kept in a ring buffer and fanned out to
 * subscribers (`livepatch logs`, the dashboard).
 *
 * @remarks
 * Every text is scrubbed before it is stored or given to a subscriber: {@link AgentEventBus.record}
 * with core's `Scrubber.scrubString`, and app output ({@link AgentEventBus.pipe}) line by line through
 * core's `createScrubStream`, which holds a partial line until its end arrives, so a secret written in
 * two pieces is still caught. Storing is O(1); {@link AgentEventBus.recent} is O(capacity).
 *
 * `recent()` then `subscribe()` in the same tick gives every record exactly once (both are
 * synchronous), which is how a following `Logs` call should start.
 */
export class AgentEventBus {
  readonly #scrubber: Scrubber;
  readonly #capacity: number;
  readonly #maxTextLength: number;
  readonly #flushAfterMs: number;
  readonly #now: () => number;
  readonly #logger: Pick<Logger, 'warn'> | undefined;
  readonly #ring: (AgentLogRecord | undefined)[];
  readonly #listeners = new Set<AgentLogListener>();
  #next = 0;
  #size = 0;

  /**
   * @param options - see {@link AgentEventBusOptions}
   * @throws {@link EventBusOptionError} when `capacity`, `maxTextLength` or `flushAfterMs` is out of
   *   range
   */
  constructor(options: AgentEventBusOptions) {
    this.#scrubber = options.scrubber;
    this.#capacity = checkInteger('capacity', options.capacity ?? DEFAULT_CAPACITY, 1);
    this.#maxTextLength = checkInteger(
      'maxTextLength',
      options.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH,
      MIN_MAX_TEXT_LENGTH,
    );
    const flushAfterMs = options.flushAfterMs ?? 50;
    if (!Number.isFinite(flushAfterMs) || flushAfterMs < 0) {
      throw new EventBusOptionError('flushAfterMs', flushAfterMs, 'a finite number >= 0');
    }
    this.#flushAfterMs = flushAfterMs;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
    this.#ring = new Array<AgentLogRecord | undefined>(this.#capacity);
  }

  /** Most records kept. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Records kept now (at most {@link AgentEventBus.capacity}). */
  get size(): number {
    return this.#size;
  }

  /**
   * Scrubs `text` with the bus's scrubber, e.g. a reload report's detail before it leaves the agent.
   *
   * @param text - any text
   * @returns the scrubbed text
   */
  scrub(text: string): string {
    return this.#scrubber.scrubString(text);
  }

  /**
   * Scrubs and stores one record, then gives it to every subscriber.
   *
   * @param input - the record without its time; `text` may hold several lines (it is stored as is)
   * @returns the stored record
   */
  record(input: AgentLogInput): AgentLogRecord {
    return this.#store(input, this.#scrubber.scrubString(input.text));
  }

  /**
   * Records an agent event (stream `event`).
   *
   * @param kind - what it is about
   * @param text - one line, e.g. `SIGHUP to pid 42`
   * @param batchId - the batch it is about
   * @returns the stored record
   */
  event(kind: AgentEventKind, text: string, batchId?: string): AgentLogRecord {
    return this.record(
      batchId === undefined
        ? { stream: 'event', kind, text }
        : { stream: 'event', kind, text, batchId },
    );
  }

  /**
   * Records a child's output, one record per line, scrubbed line by line.
   *
   * @param source - a child's `stdout` or `stderr`
   * @param stream - which of the two it is
   * @param options - see {@link PipeOutputOptions}
   * @returns settles when `source` has ended (or failed, or was destroyed) and every line is stored;
   *   never rejects
   */
  async pipe(
    source: Readable,
    stream: OutputStream,
    options: PipeOutputOptions = {},
  ): Promise<void> {
    const lines = new LineWriter((text) => {
      this.#store({ stream, ...options, text }, text);
    });
    try {
      await pipeline(
        source,
        createScrubStream(this.#scrubber, { flushAfterMs: this.#flushAfterMs }),
        lines,
      );
    } catch {
      // A destroyed or failed pipe (the child was killed while writing) ends its output; what was
      // read before is stored, and there is nobody to tell.
    }
  }

  /**
   * The records kept, oldest first.
   *
   * @returns a new array of the (frozen) records
   */
  recent(): AgentLogRecord[] {
    const records: AgentLogRecord[] = [];
    const first = (this.#next - this.#size + this.#capacity) % this.#capacity;
    for (let offset = 0; offset < this.#size; offset += 1) {
      const record = this.#ring[(first + offset) % this.#capacity];
      /* c8 ignore next -- every slot within size holds a record */
      if (record !== undefined) records.push(record);
    }
    return records;
  }

  /**
   * Calls `listener` with every record stored from now on.
   *
   * @remarks A listener that throws is logged and stays subscribed; the others still get the record.
   * @param listener - called synchronously as each record is stored
   * @returns unsubscribes; calling it again does nothing
   */
  subscribe(listener: AgentLogListener): () => void {
    // A wrapper, so that subscribing the same function twice gives two independent subscriptions.
    const entry: AgentLogListener = (record) => listener(record);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  #store(input: AgentLogInput, scrubbed: string): AgentLogRecord {
    const text =
      scrubbed.length > this.#maxTextLength
        ? scrubbed.slice(0, this.#maxTextLength - TRUNCATED.length) + TRUNCATED
        : scrubbed;
    const record: AgentLogRecord = Object.freeze({
      timeMs: this.#now(),
      stream: input.stream,
      ...(input.kind === undefined ? {} : { kind: input.kind }),
      text,
      ...(input.batchId === undefined ? {} : { batchId: input.batchId }),
    });
    this.#ring[this.#next] = record;
    this.#next = (this.#next + 1) % this.#capacity;
    this.#size = Math.min(this.#size + 1, this.#capacity);
    for (const listener of this.#listeners) {
      try {
        listener(record);
      } catch (error) {
        this.#logger?.warn('An event bus subscriber threw; it stays subscribed.', { error });
      }
    }
    return record;
  }
}
