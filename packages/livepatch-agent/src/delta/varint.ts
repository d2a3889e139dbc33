/**
 * Unsigned LEB128 varints (protobuf's base-128: 7 bits per byte, least significant group first, high bit
 * set on every byte but the last) for integers up to 2^53 − 1, the delta format's integer encoding.
 *
 * @privateRemarks Internal to the delta module; not re-exported from its entry.
 * @module
 */
import { InvalidDeltaError } from './errors.js';

/** Most bytes a varint may take: 8 × 7 = 56 bits cover 2^53 − 1. */
const MAX_VARINT_BYTES = 8;

/** Bytes {@link writeVarint} takes for `value` (a non-negative safe integer). */
export function varintLength(value: number): number {
  let length = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) length += 1;
  return length;
}

/** Writes `value` (a non-negative safe integer) at `out[at]`; returns the offset just past it. */
export function writeVarint(out: Uint8Array, at: number, value: number): number {
  let rest = value;
  let position = at;
  while (rest >= 0x80) {
    out[position] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
    position += 1;
  }
  out[position] = rest;
  return position + 1;
}

/** Reads varints from a buffer that may be hostile: truncation and overflow throw. */
export class VarintReader {
  /** Offset of the next unread byte. */
  position: number;
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array, position = 0) {
    this.#bytes = bytes;
    this.position = position;
  }

  /**
   * Reads one varint.
   *
   * @param what - What the value is, for the error message.
   * @throws {@link InvalidDeltaError} when the varint is truncated, longer than 8 bytes, or over 2^53 − 1.
   */
  read(what: string): number {
    const bytes = this.#bytes;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i += 1) {
      const byte = bytes[this.position];
      if (byte === undefined) {
        throw new InvalidDeltaError(
          `Delta is truncated inside the ${what} at byte "${this.position}". Send the file whole.`,
        );
      }
      this.position += 1;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (value > Number.MAX_SAFE_INTEGER) break;
        return value;
      }
      scale *= 0x80;
    }
    throw new InvalidDeltaError(
      `Delta ${what} ending at byte "${this.position}" exceeds 2^53 - 1. Send the file whole.`,
    );
  }
}
