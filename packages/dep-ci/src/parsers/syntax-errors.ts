import type { Node } from 'web-tree-sitter';

/** Where a syntax tree has errors and how much of the file they cover. */
export interface SyntaxErrorSummary {
  /** 1-based line of the first `ERROR` or `MISSING` node. */
  line: number;
  /** 1-based column of that node, in UTF-16 code units. */
  column: number;
  /** Share of the source text, 0–1, inside outermost `ERROR` nodes (`MISSING` nodes are empty). */
  errorShare: number;
}

/**
 * Summarises the syntax errors tree-sitter recovered from.
 *
 * @param root - the root of a tree whose `hasError` is true
 * @param source - the text that was parsed
 * @returns the first error's position and the share of the text in errors, or `undefined` when the tree has
 *   no error
 *
 * @remarks Descends only into nodes whose `hasError` is set: O(e · d · b) for e errors, depth d and
 * branching b; run it only on trees with errors.
 */
export function summarizeSyntaxErrors(root: Node, source: string): SyntaxErrorSummary | undefined {
  let first: number | undefined;
  let firstRow = 0;
  let errorLength = 0;
  const cursor = root.walk();
  try {
    let depth = 0;
    for (;;) {
      const isError = cursor.nodeType === 'ERROR';
      if (isError || cursor.nodeIsMissing) {
        if (first === undefined) {
          first = cursor.startIndex;
          firstRow = cursor.startPosition.row;
        }
        if (isError) errorLength += cursor.endIndex - cursor.startIndex;
      } else if (cursor.currentNode.hasError && cursor.gotoFirstChild()) {
        depth += 1;
        continue;
      }
      while (depth > 0 && !cursor.gotoNextSibling()) {
        cursor.gotoParent();
        depth -= 1;
      }
      if (depth === 0) break;
    }
  } finally {
    cursor.delete();
  }
  if (first === undefined) return undefined;
  return {
    line: firstRow + 1,
    column: first - (source.lastIndexOf('\n', first - 1) + 1) + 1,
    errorShare: errorLength / Math.max(source.length, 1),
  };
}
