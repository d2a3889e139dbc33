/**
 * Ignore rules: which paths LivePatch leaves out of the tree, on both sides.
 *
 * The CLI reads the rule files of SRC ({@link readIgnoreRules}) and sends them with every GetTree request
 * (`GetTreeRequest.ignore`); the agent builds the same matcher from them ({@link createIgnoreMatcher}), so
 * both sides leave the same paths out, hash alike, and the agent never deletes what the CLI ignores.
 *
 * @see {@link https://git-scm.com/docs/gitignore | gitignore}
 * @see {@link https://docs.docker.com/build/concepts/context/#dockerignore-files | .dockerignore}
 * @module
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import ignoreModule from 'ignore';
import type { Ignore } from 'ignore';
import { TreeReadError, TreeRootNotFoundError } from './errors.js';
import { isVanished } from './fs-errors.js';
import { createLimit } from './limit.js';
import { assertTreePath, isValidEntryName, joinTreePath, treePathDepth } from './tree-path.js';

/** One rule file, as in the proto's `IgnoreFile`. */
export interface IgnoreFileRules {
  /** The directory the rules apply to, `""` for the root; a tree path. */
  directory: string;
  /** The rules, gitignore syntax (a `.dockerignore` is converted by {@link readIgnoreRules}). */
  text: string;
}

/**
 * Every rule file of a tree, beyond {@link DEFAULT_IGNORES}.
 *
 * @remarks
 * `files`: ordered by precedence, later wins: a file in a deeper directory overrides its ancestors', and of
 * files in the same directory the later one wins. {@link createIgnoreMatcher} sorts by depth (stably), so only
 * the order within one directory matters.
 */
export interface IgnoreRules {
  files: IgnoreFileRules[];
}

/**
 * Whether a tree path is left out of the tree. `path` is a tree path (not `""`); `isDirectory` says whether
 * it names a directory (a symlink to a directory is not one).
 *
 * @throws {@link InvalidTreePathError} when `path` is not a tree path
 */
export type IgnoreMatcher = (path: string, isDirectory: boolean) => boolean;

/**
 * Rules every tree starts with (gitignore syntax, root-level, lowest precedence: a negation in any rule file
 * can re-include them).
 *
 * @remarks
 * `.git/` and `node_modules/`; editor temp, swap, backup and lock files: vim (`*.swp`, `*.swo`, `*.swn`,
 * `*.swx`, and `4913`, the file vim creates to test that a directory is writable), `*~` backups, emacs
 * (`.#*` lock links, `#*#` auto-saves), JetBrains safe-write (`*___jb_tmp___`, `*___jb_old___`,
 * `*___jb_bak___`), gedit (`.goutputstream-*`), Kate (`*.kate-swp`); and macOS `.DS_Store`.
 */
export const DEFAULT_IGNORES: readonly string[] = [
  '.git/',
  'node_modules/',
  '*.swp',
  '*.swo',
  '*.swn',
  '*.swx',
  '4913',
  '*~',
  '.#*',
  '\\#*#',
  '*___jb_tmp___',
  '*___jb_old___',
  '*___jb_bak___',
  '.goutputstream-*',
  '*.kate-swp',
  '.DS_Store',
];

/** Name of the agent's journal of the batch being applied, at the root of its tree. */
export const AGENT_JOURNAL_NAME = '.livepatch-journal.json';

/**
 * Names the agent creates inside its root while applying a batch (gitignore syntax, for documentation): temp
 * files `.<name>.lp-<id>.tmp` and backups `.<name>.lp-<id>.bak` next to their target, and the journal at the
 * root. They are always left out, whatever the rule files say; see {@link isAgentInternalPath}.
 */
export const AGENT_INTERNAL_IGNORES: readonly string[] = [
  '.*.lp-*.tmp',
  '.*.lp-*.bak',
  `/${AGENT_JOURNAL_NAME}`,
];

/** `.*.lp-*.tmp` and `.*.lp-*.bak` for one name. */
const AGENT_TEMP_NAME = /^\..*\.lp-.*\.(?:tmp|bak)$/;

/**
 * Whether `path` is, or is inside, one of the agent's own files ({@link AGENT_INTERNAL_IGNORES}), which no
 * rule can re-include.
 */
export function isAgentInternalPath(path: string): boolean {
  if (path === AGENT_JOURNAL_NAME || path.startsWith(`${AGENT_JOURNAL_NAME}/`)) return true;
  return path.split('/').some((name) => AGENT_TEMP_NAME.test(name));
}

/** Glob metacharacters of gitignore patterns, escaped when a directory name becomes a pattern prefix. */
const GLOB_SPECIAL = /[\\*?[\]]/g;

/** `dir` as a literal pattern prefix: metacharacters escaped, and a leading `!` or `#` too. */
function literalPrefix(dir: string): string {
  const escaped = dir.replace(GLOB_SPECIAL, '\\$&');
  return /^[!#]/.test(escaped) ? `\\${escaped}` : escaped;
}

/** Unescaped trailing spaces, which gitignore drops. */
const TRAILING_SPACES = /(?:(?<!\\) )+$/;

/**
 * Rewrites one gitignore line of a rule file in `dir` into a line of the root's rules, with the same meaning.
 *
 * @remarks
 * A pattern with a `/` before its end is relative to its directory: `/a` and `a/b` become `dir/a`, `dir/a/b`.
 * Any other pattern matches at any depth below it: `a` and `a/` become `dir/**\/a`, `dir/**\/a/`.
 */
function scopeLine(dir: string, line: string): string | undefined {
  let body = line.replace(TRAILING_SPACES, '');
  if (body === '' || body.startsWith('#')) return undefined;
  const negated = body.startsWith('!');
  if (negated) body = body.slice(1);
  // A leading `\!` or `\#` only escapes at the start of a line; below a prefix the character is literal.
  else if (body.startsWith('\\!') || body.startsWith('\\#')) body = body.slice(1);
  const withoutTrailingSlash = body.endsWith('/') ? body.slice(0, -1) : body;
  if (withoutTrailingSlash === '') return undefined;
  const anchored = withoutTrailingSlash.includes('/');
  const scoped = anchored
    ? `${literalPrefix(dir)}/${body.startsWith('/') ? body.slice(1) : body}`
    : `${literalPrefix(dir)}/**/${body}`;
  return negated ? `!${scoped}` : scoped;
}

/** Lines of a rule file, without a UTF-8 byte order mark. */
function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/);
}

/** Adds one rule file to `matcher`, scoped to its directory. */
function addRuleFile(matcher: Ignore, file: IgnoreFileRules): void {
  assertTreePath(file.directory);
  if (file.directory === '') {
    matcher.add(splitLines(file.text));
    return;
  }
  for (const line of splitLines(file.text)) {
    const scoped = scopeLine(file.directory, line);
    if (scoped !== undefined) matcher.add(scoped);
  }
}

// `ignore` 5 is CommonJS with an `export default` typing: under NodeNext the default import is
// `module.exports`, whose `default` property is the factory itself (index.js: `factory.default = factory`).
const createIgnore = ignoreModule.default;

/** A fresh `ignore` instance holding {@link DEFAULT_IGNORES}. */
function createBaseMatcher(): Ignore {
  // Case-sensitive like git on Linux, so that a macOS CLI and a Linux agent agree; relative-path checks are
  // ours (`assertTreePath`), since `ignore` refuses valid names such as `...`.
  return createIgnore({ ignorecase: false, allowRelativePaths: true }).add(DEFAULT_IGNORES);
}

/** Wraps an `ignore` instance into an {@link IgnoreMatcher}. */
function toMatcher(matcher: Ignore): IgnoreMatcher {
  return (path, isDirectory) => {
    assertTreePath(path);
    if (path === '') return false;
    if (isAgentInternalPath(path)) return true;
    return matcher.ignores(isDirectory ? `${path}/` : path);
  };
}

/**
 * Builds the matcher for {@link DEFAULT_IGNORES}, the agent's internal names, and `rules`.
 *
 * @remarks
 * All rule files become one `ignore` instance, root-relative: a file in directory `d` has its patterns
 * prefixed with `d/` (anchored ones) or `d/**\/` (the others), so each applies only inside its directory,
 * and files are added shallow to deep so that the last matching pattern, git's precedence, is the deepest
 * file's. Negations (`!p`) re-include, except below an ignored directory ("It is not possible to re-include a
 * file if a parent directory of that file is excluded"). Matching is case-sensitive. The agent's internal
 * names ({@link AGENT_INTERNAL_IGNORES}) are tested first and cannot be re-included. A call tests the path
 * against every pattern, O(patterns); results for its parent directories are cached by `ignore`, so the
 * cache grows with the number of distinct paths tested.
 *
 * @throws {@link InvalidTreePathError} when a file's `directory` is not a tree path
 */
export function createIgnoreMatcher(rules: IgnoreRules = { files: [] }): IgnoreMatcher {
  const matcher = createBaseMatcher();
  const files = rules.files
    .map((file, index) => ({ file, index, depth: treePathDepth(file.directory) }))
    .sort((a, b) => a.depth - b.depth || a.index - b.index);
  for (const { file } of files) addRuleFile(matcher, file);
  return toMatcher(matcher);
}

/**
 * Converts `.dockerignore` text into gitignore syntax with the same meaning for the root.
 *
 * @remarks
 * What differs, following moby's `ignorefile.ReadAll`: every pattern is relative to the root (`*.md` matches
 * only top-level files, `**\/*.md` any), so each becomes `/pattern`; a trailing `/` is dropped (it matches
 * files too); lines are trimmed, and `./`, `//` and `..` are cleaned as Go's `filepath.Clean` does. A pattern
 * that cleans to the root itself or leaves it is dropped. Not carried over: re-including a file below an
 * excluded directory (`dir` then `!dir/keep`), which Docker allows and git does not.
 */
export function convertDockerignore(text: string): string {
  const lines: string[] = [];
  for (const raw of splitLines(text)) {
    if (raw.startsWith('#')) continue;
    let pattern = raw.trim();
    if (pattern === '') continue;
    const negated = pattern.startsWith('!');
    if (negated) pattern = pattern.slice(1).trim();
    const cleaned = cleanPattern(pattern);
    if (cleaned === undefined) continue;
    lines.push(`${negated ? '!' : ''}/${cleaned}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Go's `filepath.Clean` for a root-relative pattern; `undefined` for the root itself or above it. */
function cleanPattern(pattern: string): string | undefined {
  const parts: string[] = [];
  for (const part of pattern.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts.length === 0 ? undefined : parts.join('/');
}

/** Options of {@link readIgnoreRules}. */
export interface ReadIgnoreRulesOptions {
  /** Stops the walk; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * File system operations in flight at once.
   *
   * @defaultValue 32
   */
  concurrency?: number;
}

/** Rule files read in every directory, in increasing precedence. */
const NESTED_RULE_FILES = ['.gitignore', '.livepatchignore'] as const;

/**
 * Reads the rule files of the tree at `srcRoot`: `.gitignore` and `.livepatchignore` in every directory that
 * is not itself ignored, and `.dockerignore` at the root (converted by {@link convertDockerignore}).
 *
 * @remarks
 * Breadth-first, a level at a time, so that each directory is tested against the rules of all its ancestors
 * before it is entered; ignored directories are not entered, as git does not read rule files there, and
 * symlinks are never followed. Only regular files are read as rule files. At the root the order of
 * precedence is `.dockerignore`, `.gitignore`, `.livepatchignore` (the last wins). Not read: `.git/info/exclude`
 * and the global excludes file, which belong to one machine. Cost: one `readdir` per directory that is not
 * ignored. Directories that vanish during the walk are skipped.
 *
 * @returns the rules, in the order {@link createIgnoreMatcher} applies them (directories breadth-first, in
 *   UTF-16 order within a level)
 * @throws {@link TreeRootNotFoundError} when `srcRoot` is missing or not a directory
 * @throws {@link TreeReadError} when a directory or rule file cannot be read (other than vanishing)
 */
export async function readIgnoreRules(
  srcRoot: string,
  options: ReadIgnoreRulesOptions = {},
): Promise<IgnoreRules> {
  const { signal } = options;
  const limit = createLimit(options.concurrency ?? 32, signal);
  await assertRootDirectory(srcRoot);
  const matcher = createBaseMatcher();
  const isIgnored = toMatcher(matcher);
  const files: IgnoreFileRules[] = [];
  let level = [''];
  while (level.length > 0) {
    const listed = await Promise.all(
      level.map(async (directory) => {
        const dirents = await limit(() => readDirents(join(srcRoot, directory)));
        if (dirents === undefined) return { directory, subdirectories: [], rules: [] };
        const regular = new Set(dirents.filter((d) => d.isFile()).map((d) => d.name));
        const names = [...(directory === '' ? ['.dockerignore'] : []), ...NESTED_RULE_FILES].filter(
          (name) => regular.has(name),
        );
        const rules = await Promise.all(
          names.map(async (name) => {
            const text = await limit(() => readText(join(srcRoot, directory, name)));
            if (text === undefined) return undefined;
            return {
              directory,
              text: name === '.dockerignore' ? convertDockerignore(text) : text,
            };
          }),
        );
        const subdirectories = dirents
          .filter((d) => d.isDirectory() && isValidEntryName(d.name))
          .map((d) => joinTreePath(directory, d.name));
        return { directory, subdirectories, rules };
      }),
    );
    listed.sort((a, b) => (a.directory < b.directory ? -1 : a.directory > b.directory ? 1 : 0));
    for (const { rules } of listed) {
      for (const file of rules) {
        if (file === undefined) continue;
        files.push(file);
        addRuleFile(matcher, file);
      }
    }
    level = listed.flatMap(({ subdirectories }) =>
      subdirectories.filter((path) => !isIgnored(path, true)),
    );
  }
  return { files };
}

/** Throws unless `root` is an existing directory (following a symlink: the root is the user's choice). */
async function assertRootDirectory(root: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(root)).isDirectory();
  } catch (error) {
    if (isVanished(error)) throw new TreeRootNotFoundError(root, { cause: error });
    throw new TreeReadError(root, { cause: error });
  }
  if (!isDirectory) throw new TreeRootNotFoundError(root, { notDirectory: true });
}

/** The entries of a directory, or `undefined` when it vanished. */
async function readDirents(path: string) {
  try {
    return await readdir(path, { withFileTypes: true });
  } catch (error) {
    if (isVanished(error)) return undefined;
    throw new TreeReadError(path, { cause: error });
  }
}

/** A rule file's text, or `undefined` when it vanished. */
async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isVanished(error)) return undefined;
    throw new TreeReadError(path, { cause: error });
  }
}
