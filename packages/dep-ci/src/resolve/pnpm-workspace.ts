/**
 * Reading the `packages:` globs of a `pnpm-workspace.yaml`.
 *
 * @module
 */

/**
 * The `packages:` globs of a `pnpm-workspace.yaml`, in file order (`['packages/*', '!**\/test/**']`).
 *
 * @remarks
 * A line scanner for the two shapes pnpm documents, not a YAML parser (dep-ci has no YAML dependency):
 * a block sequence under a top-level `packages:` key (`  - 'packages/*'`), or a one-line flow sequence
 * (`packages: [a/*, 'b']`). Quotes and trailing `#` comments are stripped. O(length of the file).
 * @see {@link https://pnpm.io/pnpm-workspace_yaml}
 */
export function parsePnpmWorkspacePackages(text: string): string[] {
  const globs: string[] = [];
  let inPackages = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = stripComment(rawLine).trimEnd();
    if (line.trim() === '') continue;
    const topLevel = !/^\s/.test(line);
    if (topLevel) {
      const flow = /^packages\s*:\s*(.*)$/.exec(line);
      inPackages = flow !== null;
      const inline = flow?.[1]?.trim() ?? '';
      if (inline.startsWith('[') && inline.endsWith(']')) {
        globs.push(...inline.slice(1, -1).split(',').map(unquote).filter(Boolean));
        inPackages = false;
      }
      continue;
    }
    const item = inPackages ? /^\s*-\s*(.+)$/.exec(line) : null;
    if (item?.[1] !== undefined) globs.push(unquote(item[1]));
  }
  return globs;
}

function stripComment(line: string): string {
  // A `#` starts a comment only at the line start or after whitespace, and never inside quotes.
  let quote: string | undefined;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '#' && (index === 0 || /\s/.test(line[index - 1] ?? ''))) {
      return line.slice(0, index);
    }
  }
  return line;
}

function unquote(value: string): string {
  const trimmed = value.trim();
  const first = trimmed[0];
  if ((first === '"' || first === "'") && trimmed.endsWith(first) && trimmed.length >= 2) {
    return trimmed.slice(1, -1);
  }
  return trimmed;
}
