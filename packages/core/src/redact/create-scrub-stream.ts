import { Buffer, isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { ScrubberOptionError } from './errors.js';
import { PrivateKeyLines } from './private-key-lines.js';
import type { Scrubber } from './scrubber.js';

/** Options of {@link createScrubStream}. */
export interface ScrubStreamOptions {
  /**
   * How long an unterminated last line is held, in milliseconds of no new input, before it is scrubbed
   * and written anyway (prompts, progress output). 0 writes it at the end of every chunk. A finite,
   * non-negative number.
   * @defaultValue 50
   */
  flushAfterMs?: number;
}

/** An unterminated line longer than this, in bytes, is written in part without waiting. */
export const MAX_LINE_BYTES = 64 * 1024;
/** Fewest characters held back when a long line is written in part. */
const MIN_TAIL = 1024;
/** Most characters held back when a long line is written in part. */
const MAX_TAIL = 16 * 1024;
/** How far back from the cut a space or tab is looked for, in characters. */
const WHITESPACE_WINDOW = 4096;

const LF = 10;
const CR = 13;

/** Decodes one line: UTF-8 when valid, else Latin-1, which maps each byte to one character and back. */
function decode(bytes: Buffer): { text: string; encoding: 'utf8' | 'latin1' } {
  return isUtf8(bytes)
    ? { text: bytes.toString('utf8'), encoding: 'utf8' }
    : { text: bytes.toString('latin1'), encoding: 'latin1' };
}

/** Bytes at the end of `bytes` that start a UTF-8 sequence not yet complete (0 to 3). */
function incompleteUtf8Tail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back] as number;
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}

/** The Transform behind {@link createScrubStream}. */
class ScrubTransform extends Transform {
  readonly #scrubber: Scrubber;
  readonly #flushAfterMs: number;
  readonly #keys = new PrivateKeyLines();
  readonly #scrub: (text: string) => string;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(scrubber: Scrubber, flushAfterMs: number) {
    super();
    this.#scrubber = scrubber;
    this.#flushAfterMs = flushAfterMs;
    this.#scrub = (text) => scrubber.scrubString(text);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#cancelTimer();
    const out: Buffer[] = [];
    let lineStart = 0;
    let lf = chunk.indexOf(LF);
    let cr = chunk.indexOf(CR);
    while (lf !== -1 || cr !== -1) {
      const lineEnd = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf;
      const breakLength = lineEnd === cr && chunk[cr + 1] === LF ? 2 : 1;
      out.push(this.#scrubLine(this.#takeLine(chunk.subarray(lineStart, lineEnd))));
      out.push(chunk.subarray(lineEnd, lineEnd + breakLength));
      lineStart = lineEnd + breakLength;
      if (lf !== -1 && lf < lineStart) lf = chunk.indexOf(LF, lineStart);
      if (cr !== -1 && cr < lineStart) cr = chunk.indexOf(CR, lineStart);
    }
    if (lineStart < chunk.length) {
      this.#pending.push(chunk.subarray(lineStart));
      this.#pendingBytes += chunk.length - lineStart;
      if (this.#pendingBytes > MAX_LINE_BYTES) out.push(this.#writeLongLinePart());
      if (this.#flushAfterMs === 0) out.push(this.#flushPending());
    }
    if (out.length > 0) this.push(Buffer.concat(out));
    if (this.#pendingBytes > 0) this.#startTimer();
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.#cancelTimer();
    if (this.#pendingBytes > 0) this.push(this.#flushPending());
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#cancelTimer();
    callback(error);
  }

  #startTimer(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#pendingBytes > 0 && !this.destroyed) this.push(this.#flushPending());
    }, this.#flushAfterMs);
    this.#timer.unref();
  }

  #cancelTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** The held partial line followed by `part`, emptying the hold. */
  #takeLine(part: Buffer): Buffer {
    if (this.#pendingBytes === 0) return part;
    const line = Buffer.concat([...this.#pending, part]);
    this.#pending = [];
    this.#pendingBytes = 0;
    return line;
  }

  #flushPending(): Buffer {
    return this.#scrubLine(this.#takeLine(Buffer.alloc(0)));
  }

  #scrubLine(bytes: Buffer): Buffer {
    if (bytes.length === 0) return bytes;
    const { text, encoding } = decode(bytes);
    const scrubbed = this.#keys.scrubLine(text, this.#scrub);
    return scrubbed === text ? bytes : Buffer.from(scrubbed, encoding);
  }

  /**
   * Writes the scrubbed front of an over-long partial line and holds back its tail.
   *
   * @privateRemarks
   * The cut is `tail` characters before the end, `tail` = the longest registered form clamped to
   * [1 KiB, 16 KiB] characters, moved back to just after a space or tab within 4 KiB when there is one,
   * and moved back to the start of any registered secret that straddles it.
   */
  #writeLongLinePart(): Buffer {
    const bytes = this.#takeLine(Buffer.alloc(0));
    const carry = incompleteUtf8Tail(bytes);
    const body = bytes.subarray(0, bytes.length - carry);
    let { text, encoding } = decode(body);
    let carried = bytes.subarray(bytes.length - carry);
    if (encoding === 'latin1') {
      ({ text, encoding } = decode(bytes));
      carried = Buffer.alloc(0);
    }
    const tail = Math.min(Math.max(this.#scrubber.maxPatternLength, MIN_TAIL), MAX_TAIL);
    let cut = text.length - tail;
    const space = Math.max(text.lastIndexOf(' ', cut - 1), text.lastIndexOf('\t', cut - 1));
    if (space >= cut - WHITESPACE_WINDOW && space >= 0) cut = space + 1;
    for (const span of this.#scrubber.findKnownSecrets(text)) {
      if (span.start < cut && cut < span.end && span.start > 0) cut = span.start;
    }
    const code = text.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    const rest = Buffer.from(text.slice(cut), encoding);
    this.#pending = carried.length > 0 ? [rest, carried] : [rest];
    this.#pendingBytes = rest.length + carried.length;
    return this.#scrubLine(Buffer.from(text.slice(0, cut), encoding));
  }
}

/**
 * A Transform that scrubs child-process output line by line, passing everything else through
 * unchanged.
 *
 * @remarks
 * Input is split at `\n`, `\r\n` and lone `\r` (progress bars); the breaks are written back exactly as
 * read. Each complete line is scrubbed with {@link Scrubber.scrubString} and written at once. The
 * unterminated last line is held so that a secret split across two chunks is still caught; it is
 * scrubbed and written after `flushAfterMs` without new input, and at the end of the stream.
 *
 * A line that is valid UTF-8 is scrubbed as text; any other line is decoded as Latin-1 (one character
 * per byte), so its bytes come back unchanged and ASCII secrets in it are still found; non-ASCII
 * secrets are only found in valid UTF-8 lines. A line left unchanged is written as the original bytes.
 *
 * A partial line longer than {@link MAX_LINE_BYTES} (64 KiB) is written in part: all but a tail of the
 * longest registered form's length (clamped to 1–16 KiB characters) is scrubbed and written; the cut
 * goes after a space or tab when one lies within 4 KiB before it, and before any registered secret
 * that would straddle it. So a registered secret (or derived form) of up to 16 KiB characters is never
 * split. What can be split is a token or a secret setting across the cut: when the cut follows a space
 * only a setting written with one (`--password value`, `NAME: value`), otherwise any token or setting;
 * that part of the line then gets only the registered-secret pass. Private key blocks spanning several
 * lines are followed across lines (see {@link PrivateKeyLines}).
 *
 * @param scrubber - holds the registered secrets; secrets added later apply to lines not yet written
 * @param options - see {@link ScrubStreamOptions}
 * @returns a Transform taking and producing bytes (strings written to it are encoded first)
 * @throws {@link ScrubberOptionError} when `flushAfterMs` is negative or not finite
 */
export function createScrubStream(scrubber: Scrubber, options: ScrubStreamOptions = {}): Transform {
  const flushAfterMs = options.flushAfterMs ?? 50;
  if (!Number.isFinite(flushAfterMs) || flushAfterMs < 0) {
    throw new ScrubberOptionError('flushAfterMs', flushAfterMs, 'a finite number >= 0');
  }
  return new ScrubTransform(scrubber, flushAfterMs);
}
