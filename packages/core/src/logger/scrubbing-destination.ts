import type { Scrubber } from '../redact/index.js';

/** Where a {@link ScrubbingDestination} writes: anything with a `write(text)` method, e.g. `process.stderr`. */
export interface TextSink {
  write(text: string): unknown;
}

/** Counts records the logger refused to write because scrubbing failed (fail closed). */
export interface DropCounter {
  /** Records dropped so far. */
  dropped: number;
}

/**
 * The pino destination of every Velocity logger: a final scrubbing pass over each written line.
 *
 * @remarks
 * Records reach it already scrubbed field by field; this pass catches registered secret values that only
 * appear once the record is serialised (e.g. split across a key and its value). It fails closed: if scrubbing
 * or formatting throws, the line is dropped and `counter.dropped` grows; the raw line is never written.
 */
export class ScrubbingDestination {
  readonly #scrubber: Scrubber;
  readonly #sink: TextSink;
  readonly #format: ((line: string) => string) | undefined;
  readonly #counter: DropCounter;

  /**
   * @param scrubber - holds the registered secrets
   * @param sink - receives each scrubbed line
   * @param counter - shared drop counter
   * @param format - turns a JSON line into the text to write (pretty printing); identity when omitted
   */
  constructor(
    scrubber: Scrubber,
    sink: TextSink,
    counter: DropCounter,
    format?: (line: string) => string,
  ) {
    this.#scrubber = scrubber;
    this.#sink = sink;
    this.#counter = counter;
    this.#format = format;
  }

  /** Scrubs one serialised record (a JSON line ending in `\n`) and writes it, or drops it on failure. */
  write(line: string): void {
    let text: string;
    try {
      const scrubbed = this.#scrubber.scrubKnownSecrets(line);
      // Pretty printing unescapes JSON strings, so the formatted text gets a pass of its own.
      text =
        this.#format === undefined
          ? scrubbed
          : this.#scrubber.scrubKnownSecrets(this.#format(scrubbed));
    } catch {
      this.#counter.dropped += 1;
      return;
    }
    this.#sink.write(text);
  }
}
