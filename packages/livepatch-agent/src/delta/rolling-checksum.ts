/**
 * The rsync weak checksum, which can slide over a buffer one byte at a time in O(1).
 *
 * @module
 */

/**
 * The rsync rolling checksum of a window of `len` bytes `x[0..len)`.
 *
 * @remarks
 * `a = Σ x[i] mod 2^16`, `b = Σ (len − i)·x[i] mod 2^16`, `value = a + 2^16·b` (rsync algorithm, Tridgell &
 * Mackerras 1996, section 3, without rsync's `CHAR_OFFSET`, which is 0 there too). Sliding the window one
 * byte to the right ({@link RollingChecksum.roll}) is O(1): `a' = a − out + in`, `b' = b − len·out + a'`.
 * Building it over a window is O(len).
 *
 * @example
 * ```ts
 * const sum = new RollingChecksum(bytes, 0, 700);
 * sum.roll(bytes[0], bytes[700]); // now over bytes[1..701)
 * ```
 *
 * @see {@link https://rsync.samba.org/tech_report/node3.html | The rsync algorithm: rolling checksum}
 * @see {@link https://github.com/librsync/librsync/blob/master/doc/format.md | librsync doc/format.md}
 */
export class RollingChecksum {
  #a = 0;
  #b = 0;
  readonly #length: number;

  /**
   * Computes the checksum of `bytes[start..end)`.
   *
   * @param bytes - The buffer; the window is clamped to it.
   * @param start - First byte of the window. @defaultValue 0
   * @param end - One past the last byte of the window. @defaultValue `bytes.length`
   */
  constructor(bytes: Uint8Array = new Uint8Array(0), start = 0, end = bytes.length) {
    const from = Math.max(0, start);
    const to = Math.min(bytes.length, end);
    let a = 0;
    let b = 0;
    for (let i = from; i < to; i += 1) {
      // Wrapping `b` to 32 bits keeps it a small integer for V8 and is harmless mod 2^16.
      a += bytes[i]!;
      b = (b + a) | 0;
    }
    this.#a = a & 0xffff;
    this.#b = b & 0xffff;
    this.#length = Math.max(0, to - from);
  }

  /** Window size, in bytes. */
  get length(): number {
    return this.#length;
  }

  /** The 32-bit checksum, `a + 2^16·b` (unsigned). */
  get value(): number {
    return (this.#a | (this.#b << 16)) >>> 0;
  }

  /**
   * Slides the window one byte to the right: `outByte` leaves at the left, `inByte` enters at the right.
   *
   * @param outByte - The window's first byte, 0–255.
   * @param inByte - The byte just past the window, 0–255.
   */
  roll(outByte: number, inByte: number): void {
    this.#a = (this.#a - outByte + inByte) & 0xffff;
    this.#b = (this.#b - this.#length * outByte + this.#a) & 0xffff;
  }
}
