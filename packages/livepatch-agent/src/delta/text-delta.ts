/**
 * Text deltas: a character diff (fast-diff) between the cached basis and the new text, turned into byte
 * copies and literals. Much smaller than an rsync delta for small edits, whose literal is at least a block.
 *
 * @module
 */
import { isUtf8 } from 'node:buffer';
import diff from 'fast-diff';
import { DeltaWriter, type DeltaOp } from './delta.js';

/**
 * Default diff work budget of {@link computeTextDelta}, in Myers edit-graph cells: about 25 ms of fast-diff
 * in the worst case (measured: two unrelated 4,096-character texts, 33.5 M cells, take 182 ms).
 */
export const DEFAULT_TEXT_DIFF_BUDGET = 2 ** 22;

/** Equal runs shorter than this many bytes stay in the literal: a copy op costs 2–8 bytes. */
const MIN_TEXT_COPY = 8;

/** Line codes for line-mode diffing skip the UTF-16 surrogate range, which fast-diff treats specially. */
const MAX_LINE_CODES = 0x10000 - 0x800;

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Options of {@link computeTextDelta}. */
export interface TextDeltaOptions {
  /**
   * Most Myers edit-graph cells (`(n + m)² / 2` per fast-diff call on texts of n and m characters) to
   * spend; beyond it, the remaining changed regions are sent as literals.
   * @defaultValue {@link DEFAULT_TEXT_DIFF_BUDGET}
   */
  diffBudget?: number;
}

/** Equal ranges: `basis[b..b+length)` equals `target[t..t+length)`, in characters or bytes. */
interface Match {
  b: number;
  t: number;
  length: number;
}

/** Walks a string's UTF-16 indexes forward, keeping the matching UTF-8 byte offset. */
class Utf8Offsets {
  #char = 0;
  #byte = 0;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  /** UTF-8 offset of character index `index`, which must not decrease between calls. */
  byteAt(index: number): number {
    const text = this.#text;
    let char = this.#char;
    let byte = this.#byte;
    while (char < index) {
      const code = text.charCodeAt(char);
      if (code < 0x80) byte += 1;
      else if (code < 0x800) byte += 2;
      else if (code >= 0xd800 && code <= 0xdbff) {
        // A surrogate pair is one 4-byte character; matches never split pairs.
        byte += 4;
        char += 1;
      } else byte += 3;
      char += 1;
    }
    this.#char = char;
    this.#byte = byte;
    return byte;
  }
}

/** Appends the EQUAL runs of a fast-diff result as matches, offset by where the diffed texts start. */
function collectMatches(
  diffs: diff.Diff[],
  b: number,
  t: number,
  text: string,
  out: Match[],
): void {
  let bi = b;
  let ti = t;
  for (const [kind, chunk] of diffs) {
    if (kind === diff.EQUAL) {
      let start = 0;
      let length = chunk.length;
      // fast-diff (≥ 1.2, fix_unicode) never splits a surrogate pair; Utf8Offsets relies on that, so
      // make sure of it rather than emit wrong byte offsets if it ever did.
      /* c8 ignore start */
      if (isLowSurrogate(text.charCodeAt(bi))) {
        start = 1;
        length -= 1;
      }
      if (length > 0 && isHighSurrogate(text.charCodeAt(bi + chunk.length - 1))) length -= 1;
      /* c8 ignore stop */
      if (length > 0) out.push({ b: bi + start, t: ti + start, length });
      bi += chunk.length;
      ti += chunk.length;
    } else if (kind === diff.DELETE) {
      bi += chunk.length;
    } else {
      ti += chunk.length;
    }
  }
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Worst-case Myers cost of diffing texts of `n` and `m` units. */
function diffCost(n: number, m: number): number {
  return ((n + m) * (n + m)) / 2;
}

/** Line start offsets of `text` (plus its length), and one code unit per line from a shared table. */
function encodeLines(
  text: string,
  codes: Map<string, string>,
): { chars: string; starts: number[] } | undefined {
  const starts: number[] = [];
  let chars = '';
  let start = 0;
  while (start < text.length) {
    starts.push(start);
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline + 1;
    const line = text.slice(start, end);
    let code = codes.get(line);
    if (code === undefined) {
      if (codes.size >= MAX_LINE_CODES) return undefined;
      const n = codes.size;
      code = String.fromCharCode(n < 0xd800 ? n : n + 0x800);
      codes.set(line, code);
    }
    chars += code;
    start = end;
  }
  starts.push(text.length);
  return { chars, starts };
}

/**
 * Matches between two texts with no common prefix or suffix, within a work budget: a character diff when
 * affordable, else a line diff (diff-match-patch's line mode) whose changed hunks get character diffs while
 * the budget lasts.
 */
function matchMiddle(a: string, b: string, budget: number): Match[] {
  const matches: Match[] = [];
  let left = budget;
  const cost = diffCost(a.length, b.length);
  if (cost <= left) {
    collectMatches(diff(a, b), 0, 0, a, matches);
    return matches;
  }
  const codes = new Map<string, string>();
  const linesA = encodeLines(a, codes);
  const linesB = linesA && encodeLines(b, codes);
  if (linesA === undefined || linesB === undefined) return matches;
  const lineCost = diffCost(linesA.chars.length, linesB.chars.length);
  if (lineCost > left) return matches;
  left -= lineCost;
  let lineA = 0;
  let lineB = 0;
  let hunkA = 0;
  let hunkB = 0;
  const flushHunk = () => {
    const startA = linesA.starts[hunkA]!;
    const endA = linesA.starts[lineA]!;
    const startB = linesB.starts[hunkB]!;
    const endB = linesB.starts[lineB]!;
    const hunkCost = diffCost(endA - startA, endB - startB);
    if (endA > startA && endB > startB && hunkCost <= left) {
      left -= hunkCost;
      collectMatches(
        diff(a.slice(startA, endA), b.slice(startB, endB)),
        startA,
        startB,
        a,
        matches,
      );
    }
  };
  for (const [kind, chunk] of diff(linesA.chars, linesB.chars)) {
    if (kind === diff.EQUAL) {
      flushHunk();
      const start = linesA.starts[lineA]!;
      matches.push({
        b: start,
        t: linesB.starts[lineB]!,
        length: linesA.starts[lineA + chunk.length]! - start,
      });
      lineA += chunk.length;
      lineB += chunk.length;
      hunkA = lineA;
      hunkB = lineB;
    } else if (kind === diff.DELETE) {
      lineA += chunk.length;
    } else {
      lineB += chunk.length;
    }
  }
  flushHunk();
  return matches;
}

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

/**
 * Computes a delta from `basis` to `target` with a character diff, when both are valid UTF-8.
 *
 * @remarks
 * The common byte prefix and suffix are trimmed first (O(n), snapped to character boundaries), so a
 * local edit diffs only the changed middle. That middle is decoded and diffed with fast-diff (Myers
 * O((n+m)·D), with diff-match-patch's speedups), by characters when `(n+m)²/2 ≤ diffBudget`, else by lines
 * and then by characters inside each changed hunk while the budget lasts; whatever is not diffed stays
 * literal, so the worst case is bounded. Equal runs become copies (byte offsets computed by walking the
 * UTF-16 strings; surrogate pairs are never split), runs under 8 bytes are folded into literals. A BOM is
 * kept as bytes. The result is always a correct delta, only its size depends on the budget.
 *
 * @param basis - The basis (the cached copy of the receiver's file).
 * @param target - The new content.
 * @param options - Diff work budget.
 * @returns The ops (literals are views into `target`), or `undefined` when either side is not UTF-8.
 * @see {@link https://github.com/jhchen/fast-diff | fast-diff}
 * @see {@link https://github.com/google/diff-match-patch/wiki/Line-or-Word-Diffs | diff-match-patch line mode}
 */
export function computeTextDelta(
  basis: Uint8Array,
  target: Uint8Array,
  options: TextDeltaOptions = {},
): DeltaOp[] | undefined {
  if (!isUtf8(basis) || !isUtf8(target)) return undefined;
  const budget = options.diffBudget ?? DEFAULT_TEXT_DIFF_BUDGET;
  const basisSize = basis.length;
  const targetSize = target.length;
  const shorter = Math.min(basisSize, targetSize);
  let prefix = 0;
  while (prefix < shorter && basis[prefix] === target[prefix]) prefix += 1;
  // Both sides are valid UTF-8 with the same bytes before `prefix`, so it is a boundary in both or neither.
  while (isContinuation(basis[prefix]) || isContinuation(target[prefix])) prefix -= 1;
  let suffix = 0;
  const maxSuffix = shorter - prefix;
  while (suffix < maxSuffix && basis[basisSize - 1 - suffix] === target[targetSize - 1 - suffix]) {
    suffix += 1;
  }
  while (suffix > 0 && isContinuation(basis[basisSize - suffix])) suffix -= 1;

  const writer = new DeltaWriter(target);
  if (prefix >= MIN_TEXT_COPY) writer.copy(0, 0, prefix);
  const basisMiddle = basis.subarray(prefix, basisSize - suffix);
  const targetMiddle = target.subarray(prefix, targetSize - suffix);
  if (basisMiddle.length > 0 && targetMiddle.length > 0) {
    const a = decoder.decode(basisMiddle);
    const b = decoder.decode(targetMiddle);
    const basisOffsets = new Utf8Offsets(a);
    const targetOffsets = new Utf8Offsets(b);
    for (const match of matchMiddle(a, b, budget)) {
      const start = basisOffsets.byteAt(match.b);
      const length = basisOffsets.byteAt(match.b + match.length) - start;
      if (length >= MIN_TEXT_COPY) {
        writer.copy(prefix + targetOffsets.byteAt(match.t), prefix + start, length);
      }
    }
  }
  if (suffix >= MIN_TEXT_COPY) writer.copy(targetSize - suffix, basisSize - suffix, suffix);
  return writer.finish();
}
