/**
 * What dep-ci tells GitHub Actions: a Markdown step summary and workflow-command annotations saying what
 * changed, which tests run, and why.
 *
 * @module
 */
import { appendFile } from 'node:fs/promises';
import { StepSummaryError } from './errors.js';

/** A test selection, in the shape of `dep-ci affected --format json`. Paths are root-relative POSIX. */
export interface StepSummaryInput {
  /** Changed files. */
  changed: readonly string[];
  /** Tests that run (every test when `runAll`). */
  tests: readonly string[];
  /** Whether every test runs. */
  runAll: boolean;
  /** Why every test runs, one sentence each; empty unless `runAll`. */
  runAllReasons: readonly string[];
  /** Test → import chain from a changed file to the test, both included (`[test]` when the test itself changed). */
  reasons: Readonly<Record<string, readonly string[]>>;
}

/** Lists longer than this are collapsed in `<details>`. */
const COLLAPSE_AFTER = 10;
/** Import chains with more files than this are collapsed in `<details>`. */
const CHAIN_INLINE_MAX = 4;
/** Entries listed per list; the rest are counted. Keeps the summary far below GitHub's 1 MiB per step. */
const MAX_LISTED = 100;
/** Files listed per import chain; the middle of a longer chain is counted. */
const MAX_CHAIN = 20;

/** Shows control characters (possible in file names) as `\n`, `\t`, `\x1b`, so no name breaks a line. */
function visible(text: string): string {
  let out = '';
  for (const char of text) {
    const unit = char.charCodeAt(0);
    if (unit >= 0x20 && unit !== 0x7f) out += char;
    else if (char === '\n') out += '\\n';
    else if (char === '\t') out += '\\t';
    else if (char === '\r') out += '\\r';
    else out += `\\x${unit.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** A path as a Markdown code span, fenced with more backticks than it holds. */
function code(path: string): string {
  const text = visible(path);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Text with HTML's special characters escaped (GitHub Markdown passes HTML through). */
function html(text: string): string {
  return visible(text).replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** `items`, at most {@link MAX_LISTED} of them, then a count of the rest. */
function capped(items: readonly string[]): string[] {
  if (items.length <= MAX_LISTED) return [...items];
  return [...items.slice(0, MAX_LISTED), `- … and ${items.length - MAX_LISTED} more`];
}

/** A titled Markdown list of `items` (each a `- ` line), in `<details>` when longer than {@link COLLAPSE_AFTER}. */
function section(title: string, items: readonly string[]): string {
  const list = capped(items).join('\n');
  if (items.length > COLLAPSE_AFTER) {
    return `<details><summary>${html(title)}</summary>\n\n${list}\n\n</details>`;
  }
  return `**${html(title)}**\n\n${list}`;
}

/** The files of a chain to show: all of a short one, the two ends of a long one. */
function chainEntries(chain: readonly string[]): string[] {
  if (chain.length <= MAX_CHAIN) return chain.map(code);
  const half = MAX_CHAIN / 2;
  return [
    ...chain.slice(0, half).map(code),
    `… ${chain.length - MAX_CHAIN} more …`,
    ...chain.slice(-half).map(code),
  ];
}

/** One test's list item: the test, then its import chain from a changed file. */
function testLine(test: string, chain: readonly string[] | undefined): string {
  if (chain === undefined || chain.length === 0) return `- ${code(test)}`;
  if (chain.length === 1) return `- ${code(test)} (changed)`;
  if (chain.length <= CHAIN_INLINE_MAX) return `- ${code(test)}: ${chain.map(code).join(' → ')}`;
  const entries = chainEntries(chain)
    .map((entry) => `  - ${entry}`)
    .join('\n');
  return (
    `- <details><summary><code>${html(test)}</code>: ${plural(chain.length, 'file')} from ` +
    `<code>${html(chain[0] as string)}</code></summary>\n\n${entries}\n\n  </details>`
  );
}

/**
 * Formats the GitHub Actions step summary: what changed, which tests run and why.
 *
 * @remarks
 * A heading with the counts; when every test runs, the reasons; then the changed files and the tests,
 * each test with its import chain from a changed file (`t.test.ts`: `a.ts` → `b.ts` → `t.test.ts`), a
 * chain of more than 4 files collapsed in `<details>`. A list of more than 10 entries is collapsed in `<details>`, and lists
 * stop after 100 entries with a count of the rest, chains after 20 files, so the summary stays far below
 * GitHub's 1 MiB limit. Paths are code spans; control characters in them are shown escaped (`\n`).
 *
 * @see {@link https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions#adding-a-job-summary}
 * @param input - see {@link StepSummaryInput}
 * @returns GitHub-flavoured Markdown ending in a newline
 */
export function formatStepSummary(input: StepSummaryInput): string {
  const changed = plural(input.changed.length, 'changed file');
  const heading = input.runAll
    ? `### dep-ci: running all ${plural(input.tests.length, 'test')}`
    : input.tests.length === 0
      ? `### dep-ci: no test is affected by ${changed}`
      : `### dep-ci: ${plural(input.tests.length, 'test')} affected by ${changed}`;
  const parts = [heading];
  if (input.runAll) {
    const reasons =
      input.runAllReasons.length === 0 ? ['(no reason recorded)'] : input.runAllReasons;
    parts.push(
      section(
        'Why every test runs',
        reasons.map((reason) => `- ${html(reason)}`),
      ),
    );
  }
  if (input.changed.length > 0) {
    parts.push(
      section(
        `Changed files (${input.changed.length})`,
        input.changed.map((path) => `- ${code(path)}`),
      ),
    );
  }
  if (input.tests.length > 0) {
    const lines = input.tests.map((test) =>
      testLine(test, Object.hasOwn(input.reasons, test) ? input.reasons[test] : undefined),
    );
    parts.push(section(`Tests to run (${input.tests.length})`, lines));
  }
  return `${parts.join('\n\n')}\n`;
}

/**
 * Escapes a workflow command's message: `%`, `\r` and `\n`.
 *
 * @see {@link https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts}
 */
export function escapeCommandData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Escapes a workflow command's property value: as {@link escapeCommandData}, plus `:` and `,`. */
export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/**
 * Formats the `::notice` annotation that says what dep-ci runs.
 *
 * @remarks
 * One notice titled `dep-ci`: how many tests run for how many changed files, or, when every test runs,
 * why (one reason per line of the annotation). Messages are escaped for workflow commands, so no file
 * name or reason can start a command of its own.
 *
 * @see {@link https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions#setting-a-notice-message}
 * @param input - the counts and, when `runAll`, the reasons
 * @returns workflow-command lines, each ending in a newline
 */
export function formatAnnotations(
  input: Pick<StepSummaryInput, 'changed' | 'tests' | 'runAll' | 'runAllReasons'>,
): string {
  const changed = plural(input.changed.length, 'changed file');
  const message = input.runAll
    ? [`Running all ${plural(input.tests.length, 'test')}:`, ...input.runAllReasons].join('\n')
    : input.tests.length === 0
      ? `No test is affected by ${changed}.`
      : `Running ${plural(input.tests.length, 'test')} affected by ${changed}.`;
  return `::notice title=${escapeCommandProperty('dep-ci')}::${escapeCommandData(message)}\n`;
}

/**
 * Appends Markdown to the step summary file (the path in `GITHUB_STEP_SUMMARY`).
 *
 * @param path - the summary file's path
 * @param markdown - from {@link formatStepSummary}; a newline is added if it does not end in one
 * @throws {@link StepSummaryError} when the file cannot be written
 */
export async function writeStepSummary(path: string, markdown: string): Promise<void> {
  try {
    await appendFile(path, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'write failed';
    throw new StepSummaryError(path, reason, { cause: error });
  }
}
