import { formatRedaction } from './format-redaction.js';

/**
 * Spans of a text to replace, collected from several scanners and applied in one pass.
 *
 * @remarks
 * Spans may be added in any order and may overlap; {@link RedactionRanges.applyTo} sorts them by start
 * and replaces the union of overlapping spans with a single replacement, so no part of a secret survives
 * between two matches. A union is named after its earliest span (the longest one when several start
 * together). Cost O(k log k) for k spans plus O(n) to build the result.
 */
export class RedactionRanges {
  /** Start offsets, in UTF-16 code units. */
  #starts: number[] = [];
  /** End offsets (exclusive), in UTF-16 code units. */
  #ends: number[] = [];
  #kinds: string[] = [];
  #sorted = true;

  /** Forgets every span, so one instance can serve many texts. */
  clear(): void {
    // Fresh arrays: truncating with `length = 0` costs more than a scan of a short line.
    if (this.#starts.length === 0) return;
    this.#starts = [];
    this.#ends = [];
    this.#kinds = [];
    this.#sorted = true;
  }

  /** Number of spans added. */
  get size(): number {
    return this.#starts.length;
  }

  /**
   * Adds the span `[start, end)`; empty spans are ignored.
   *
   * @param start - first code unit to replace
   * @param end - one past the last code unit to replace
   * @param kind - names the replacement (already normalized)
   */
  add(start: number, end: number, kind: string): void {
    if (end <= start) return;
    const count = this.#starts.length;
    if (count > 0 && start < (this.#starts[count - 1] as number)) this.#sorted = false;
    this.#starts.push(start);
    this.#ends.push(end);
    this.#kinds.push(kind);
  }

  /**
   * The merged spans, sorted by start; overlapping spans are joined.
   *
   * @returns `[start, end, kind]` triples in UTF-16 code units
   */
  merged(): Array<[start: number, end: number, kind: string]> {
    const order = this.#starts.map((_, index) => index);
    if (!this.#sorted) {
      order.sort(
        (a, b) =>
          (this.#starts[a] as number) - (this.#starts[b] as number) ||
          (this.#ends[b] as number) - (this.#ends[a] as number),
      );
    }
    const result: Array<[number, number, string]> = [];
    let current: [number, number, string] | undefined;
    for (const index of order) {
      const start = this.#starts[index] as number;
      const end = this.#ends[index] as number;
      if (current !== undefined && start < current[1]) {
        if (start === current[0] && end > current[1]) current[2] = this.#kinds[index] as string;
        if (end > current[1]) current[1] = end;
        continue;
      }
      current = [start, end, this.#kinds[index] as string];
      result.push(current);
    }
    return result;
  }

  /**
   * Replaces every merged span of `text` with `[REDACTED:<kind>]`.
   *
   * @param text - the text the spans were found in
   * @returns the redacted text; `text` itself when there are no spans
   */
  applyTo(text: string): string {
    if (this.#starts.length === 0) return text;
    let out = '';
    let last = 0;
    for (const [start, end, kind] of this.merged()) {
      out += text.slice(last, start) + formatRedaction(kind);
      last = end;
    }
    return out + text.slice(last);
  }
}
