import type { RedactionRanges } from './redaction-ranges.js';
import { TOKEN_RULES, type TokenRule } from './token-rules.js';

/** Every rule's shortest token is at least this long, so shorter runs are skipped unread. */
const MIN_RUN = 16;

/**
 * Characters tokens are made of. `/` is left out although a few base64 bodies contain it: paths are
 * the commonest long runs in CI logs, and walking them would cost more than everything else; a
 * pattern still matches across `/` once its first 16 characters were found.
 */
const RUN_CHARS = new Uint8Array(128);
/** Characters after which a new token may start inside a run. */
const SEGMENT_BREAKS = new Uint8Array(128);
for (const char of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.+') {
  RUN_CHARS[char.charCodeAt(0)] = 1;
}
for (const char of '-.+') SEGMENT_BREAKS[char.charCodeAt(0)] = 1;

function dispatchIndex(c0: number, c1: number): number {
  return (c0 << 7) | c1;
}

/** A rule with one of its prefixes: the prefix is checked with `startsWith` before the pattern runs. */
interface Candidate {
  readonly prefix: string;
  readonly rule: TokenRule;
}

/** Candidates by the first two characters of their prefixes. */
const DISPATCH: ReadonlyArray<readonly Candidate[] | undefined> = (() => {
  const table: Array<Candidate[] | undefined> = [];
  for (let index = 0; index < 128 * 128; index += 1) table.push(undefined);
  for (const tokenRule of TOKEN_RULES) {
    for (const prefix of tokenRule.prefixes) {
      const index = dispatchIndex(prefix.charCodeAt(0), prefix.charCodeAt(1));
      (table[index] ??= []).push({ prefix, rule: tokenRule });
    }
  }
  return table;
})();

function isRunChar(code: number): boolean {
  return code < 128 && RUN_CHARS[code] === 1;
}

/** Tries every rule routed to `pos`; returns the end of a match (or -1) after recording it. */
function matchAt(text: string, pos: number, ranges: RedactionRanges): number {
  // `pos` is inside a run, so its character is ASCII; the next one may not be (or may not exist).
  const c1 = text.charCodeAt(pos + 1);
  if (!(c1 < 128)) return -1;
  const candidates = DISPATCH[dispatchIndex(text.charCodeAt(pos), c1)];
  if (candidates === undefined) return -1;
  for (const { prefix, rule: tokenRule } of candidates) {
    // A sticky exec costs ~100 ns even when it fails at once; the prefix check avoids most of them.
    if (!text.startsWith(prefix, pos)) continue;
    const { pattern } = tokenRule;
    pattern.lastIndex = pos;
    const match = pattern.exec(text);
    if (match !== null) {
      const end = pos + match[0].length;
      ranges.add(pos + (match[1]?.length ?? 0), end, tokenRule.kind);
      return end;
    }
  }
  return -1;
}

/**
 * Walks the run starting at `start`, trying rules at its start and after each segment break.
 *
 * @returns the end of the run (or of a token that extends past it)
 */
function scanRun(text: string, start: number, ranges: RedactionRanges): number {
  const n = text.length;
  let pos = start;
  let segmentStart = true;
  while (pos < n) {
    const code = text.charCodeAt(pos);
    if (!isRunChar(code)) break;
    if (segmentStart) {
      const end = matchAt(text, pos, ranges);
      if (end > pos) {
        pos = end;
        segmentStart = false;
        continue;
      }
    }
    segmentStart = SEGMENT_BREAKS[code] === 1;
    pos += 1;
  }
  return pos;
}

/**
 * Adds the span of every known-format token in `text` to `ranges` (see {@link TOKEN_RULES}).
 *
 * @remarks
 * A skip loop looks for runs of at least 16 token characters (`[A-Za-z0-9_.+-]`): it reads one
 * character in 16 while none of them is a token character, so prose costs a few reads per word. A run
 * is then walked once: its first two characters, and those after each `-`, `.` or `+` in it, index
 * a table of rules, whose literal prefix is checked with `startsWith` before their sticky pattern runs.
 * Each pattern is bounded, so the whole scan is linear in the length of `text`.
 *
 * @param text - the text to search
 * @param ranges - receives the part of each token to replace (after its kept prefix)
 */
export function findTokens(text: string, ranges: RedactionRanges): void {
  const n = text.length;
  /** No qualifying run starts before `low` except one continuing from `carry`. */
  let low = 0;
  /** Start of a run known to reach `low - 1`, or -1. */
  let carry = -1;
  let pos = MIN_RUN - 1;
  while (pos < n) {
    if (!isRunChar(text.charCodeAt(pos))) {
      low = pos + 1;
      carry = -1;
      pos += MIN_RUN;
      continue;
    }
    let start = pos;
    while (start > low && isRunChar(text.charCodeAt(start - 1))) start -= 1;
    if (start === low && carry !== -1) start = carry;
    if (pos - start + 1 < MIN_RUN) {
      carry = start;
      low = pos + 1;
      pos = start + MIN_RUN - 1;
      continue;
    }
    low = scanRun(text, start, ranges);
    carry = -1;
    pos = low + MIN_RUN - 1;
  }
}
