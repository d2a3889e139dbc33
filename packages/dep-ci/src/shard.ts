/**
 * Splitting tests across CI machines (`--shard I/N`), balanced by recorded durations.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ShardError } from './errors.js';

/** One shard of N: `index` is 1-based. */
export interface Shard {
  /** Which shard, 1 to `total`. */
  index: number;
  /** How many shards, at least 1. */
  total: number;
}

/** Options of {@link shardTests}. */
export interface ShardTestsOptions extends Shard {
  /**
   * Recorded duration of each test file in milliseconds, by root-relative POSIX path. Entries that are
   * not finite non-negative numbers are ignored.
   */
  durationsMs?: Readonly<Record<string, number>>;
}

/** Where durations are recorded, relative to the repository root. */
export const DURATIONS_FILE = '.velocity/durations.json';

/** What {@link readDurations} found. */
export interface ReadDurationsResult {
  /** Duration of each test file in milliseconds, by root-relative POSIX path; only valid entries. */
  durationsMs: Record<string, number>;
  /** Problems with the file, one sentence each; the affected entries (or the whole file) are ignored. */
  warnings: string[];
}

/** Largest shard count accepted: far beyond any CI matrix, small enough to keep shards cheap. */
const MAX_SHARDS = 1000;

function checkShard(value: string, index: number, total: number): Shard {
  if (!Number.isSafeInteger(total) || total < 1 || total > MAX_SHARDS) {
    throw new ShardError(value, `the shard count must be a whole number from 1 to ${MAX_SHARDS}`);
  }
  if (!Number.isSafeInteger(index) || index < 1 || index > total) {
    throw new ShardError(value, `the shard index must be a whole number from 1 to ${total}`);
  }
  return { index, total };
}

/**
 * Parses `--shard I/N`.
 *
 * @param value - e.g. `2/4`: shard 2 of 4, 1-based
 * @returns the shard
 * @throws {@link ShardError} when `value` is not `I/N` with whole numbers 1 ≤ I ≤ N ≤ 1000
 */
export function parseShard(value: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  if (match === null) throw new ShardError(value, 'expected I/N, e.g. 2/4');
  return checkShard(value, Number(match[1]), Number(match[2]));
}

function isDuration(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Orders paths by UTF-16 code unit, the same on every machine (unlike `localeCompare`). */
function byPath(a: string, b: string): number {
  // Paths are unique wherever this is used, so they never compare equal.
  return a < b ? -1 : 1;
}

/**
 * Splits tests into `total` shards of about equal recorded duration.
 *
 * @remarks
 * Greedy longest-processing-time: the tests, unique, are sorted by duration (longest first) then by path;
 * each goes to the shard with the least total so far, ties to the lowest index. A test with no recorded
 * duration counts as the median of the recorded durations of these tests, or 1 ms when none is recorded
 * (then shards differ in size by at most one test). The split depends only on the set of tests and their
 * durations, never on input order or machine. O(T log T + T·N) for T tests and N shards.
 *
 * @see {@link https://en.wikipedia.org/wiki/Longest-processing-time-first_scheduling}
 * @param tests - root-relative POSIX paths (duplicates are ignored)
 * @param options - the shard count and optional durations
 * @returns every shard's tests, `total` lists, each sorted by path; every test is in exactly one
 * @throws {@link ShardError} when `total` is not a whole number from 1 to 1000
 */
export function planShards(
  tests: readonly string[],
  options: Pick<ShardTestsOptions, 'total' | 'durationsMs'>,
): string[][] {
  const { total } = checkShard(`I/${options.total}`, 1, options.total);
  const recorded = options.durationsMs ?? {};
  const unique = [...new Set(tests)];
  const known = (path: string): number | undefined => {
    const value = Object.hasOwn(recorded, path) ? recorded[path] : undefined;
    return isDuration(value) ? value : undefined;
  };
  const knownDurations = unique.map(known).filter((value) => value !== undefined);
  const fallback = knownDurations.length === 0 ? 1 : median(knownDurations);
  const weighted = unique
    .map((path) => ({ path, ms: known(path) ?? fallback }))
    .sort((a, b) => b.ms - a.ms || byPath(a.path, b.path));

  const shards: string[][] = Array.from({ length: total }, () => []);
  const loads: number[] = new Array<number>(total).fill(0);
  for (const { path, ms } of weighted) {
    let lightest = 0;
    for (let i = 1; i < total; i += 1) {
      if ((loads[i] as number) < (loads[lightest] as number)) lightest = i;
    }
    (shards[lightest] as string[]).push(path);
    loads[lightest] = (loads[lightest] as number) + ms;
  }
  return shards.map((shard) => shard.sort(byPath));
}

/**
 * The tests of one shard (see {@link planShards} for how tests are split).
 *
 * @param tests - root-relative POSIX paths
 * @param options - which shard, and optional durations
 * @returns the shard's tests, sorted by path; possibly none
 * @throws {@link ShardError} when the shard is out of range
 */
export function shardTests(tests: readonly string[], options: ShardTestsOptions): string[] {
  const { index, total } = checkShard(
    `${options.index}/${options.total}`,
    options.index,
    options.total,
  );
  return planShards(tests, {
    total,
    ...(options.durationsMs === undefined ? {} : { durationsMs: options.durationsMs }),
  })[index - 1] as string[];
}

/**
 * Reads recorded test durations from `.velocity/durations.json`:
 * `{"version": 1, "durationsMs": {"<root-relative path>": <milliseconds>}}`.
 *
 * @remarks
 * Never throws for a bad file: an unreadable or malformed file, or another version, gives no durations
 * and a warning; an entry that is not a finite non-negative number is skipped with a warning (at most 5
 * listed, then a count).
 *
 * @param root - the repository root (absolute)
 * @returns the durations and warnings, or undefined when the file does not exist
 */
export async function readDurations(root: string): Promise<ReadDurationsResult | undefined> {
  let text: string;
  try {
    text = await readFile(join(root, DURATIONS_FILE), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    return ignored(`cannot be read (${String(code)})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return ignored('is not valid JSON');
  }
  const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  if (record.version !== 1) {
    return ignored(`has version ${JSON.stringify(record.version) ?? 'undefined'}, expected 1`);
  }
  const entries = record.durationsMs;
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
    return ignored('has no "durationsMs" object');
  }
  const valid = Object.entries(entries).filter((entry): entry is [string, number] =>
    isDuration(entry[1]),
  );
  const bad = Object.entries(entries)
    .filter(([, value]) => !isDuration(value))
    .map(([path]) => path);
  // fromEntries defines own properties, so a "__proto__" path stays an ordinary entry.
  const durationsMs = Object.fromEntries(valid);
  if (bad.length === 0) return { durationsMs, warnings: [] };
  const listed = bad.slice(0, 5).map((path) => JSON.stringify(path));
  if (bad.length > 5) listed.push('…');
  const skipped = bad.length === 1 ? '1 entry' : `${bad.length} entries`;
  const warnings = [
    `${DURATIONS_FILE}: ignored ${skipped} whose value is not a duration in milliseconds (${listed.join(', ')}). Record durations again.`,
  ];
  return { durationsMs, warnings };
}

/** A result with no durations and one warning about the whole file. */
function ignored(problem: string): ReadDurationsResult {
  return {
    durationsMs: {},
    warnings: [
      `${DURATIONS_FILE} ${problem}; shards are balanced by test count. Delete it or record durations again.`,
    ],
  };
}
