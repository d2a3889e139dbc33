import type { TreeCursor } from 'web-tree-sitter';

/**
 * What a visitor wants after seeing a node: leave its children alone (`skip`), look at the children that
 * hold a trigger (`descend`), or do so treating everything below as type-only (`type-context`).
 */
export type VisitResult = 'skip' | 'descend' | 'type-context';

/**
 * Called for each node the walk reaches, with the cursor on that node. It may move the cursor but must put
 * it back on the node before returning.
 *
 * @param cursor - on the node; read `nodeType`, `startIndex`, `currentNode`…
 * @param typeOnly - an ancestor (or the walk's caller) made this a type context
 */
export type Visitor = (cursor: TreeCursor, typeOnly: boolean) => VisitResult;

/**
 * Walks a syntax tree in document order, reaching only nodes whose text holds a trigger offset, so the cost
 * follows the references rather than the file size.
 *
 * @remarks The offsets come from {@link triggerOffsets} (one regular-expression scan). A walk visits the
 * nodes on the paths from its start node to the triggers: O(t · d · b) cursor moves for t triggers, depth d
 * and branching b, instead of O(n) for a whole-tree query. A pointer into the ascending offsets only moves
 * forward, because a pre-order walk meets node starts in ascending order; several walks over one tree share
 * it and must therefore run in document order.
 *
 * @privateRemarks A node "holds" an offset when `start <= offset < end`; every trigger lies inside the
 * tokens of the reference it announces, so the reference's nodes all hold it.
 */
export class TriggerWalk {
  readonly #offsets: readonly number[];
  #next = 0;

  /**
   * Prepares walks over one tree.
   *
   * @param offsets - trigger start offsets in UTF-16 code units, ascending
   */
  constructor(offsets: readonly number[]) {
    this.#offsets = offsets;
  }

  /**
   * Tells whether `[start, end)` holds a trigger; `start` must not precede an earlier call's `start` or the
   * end of a finished walk.
   *
   * @param start - first offset of the range (UTF-16 code units)
   * @param end - offset just past the range
   * @returns `true` when a trigger starts inside the range
   *
   * @remarks Amortised O(1): skips the triggers before `start` for good.
   */
  hasTrigger(start: number, end: number): boolean {
    this.#skipBefore(start);
    const next = this.#offsets[this.#next];
    return next !== undefined && next < end;
  }

  /**
   * Visits the cursor's node, then, as the visitor asks, its descendants that hold a trigger, in
   * document order; leaves the cursor back on the node it started on, and the node's triggers consumed.
   *
   * @param cursor - positioned on the node to start from; the walk never leaves that node's subtree
   * @param visit - called once per node reached
   * @param typeOnly - treat the whole subtree as a type context
   *
   * @remarks Iterative, so deeply nested expressions cannot overflow the stack.
   */
  walk(cursor: TreeCursor, visit: Visitor, typeOnly = false): void {
    const end = cursor.endIndex;
    let depth = 0;
    // Depth of the outermost type context on the current path; Infinity when there is none.
    let typeDepth = typeOnly ? 0 : Number.POSITIVE_INFINITY;
    for (;;) {
      const result = visit(cursor, typeDepth <= depth);
      if (result === 'type-context' && typeDepth > depth) typeDepth = depth;
      if (result !== 'skip' && this.#gotoChildWithTrigger(cursor)) {
        depth += 1;
        continue;
      }
      for (;;) {
        if (depth === 0) {
          this.#skipBefore(end);
          return;
        }
        // Leaving the node that opened the type context (never the walk's own, at depth 0).
        if (typeDepth >= depth) typeDepth = Number.POSITIVE_INFINITY;
        if (this.#gotoSiblingWithTrigger(cursor)) break;
        cursor.gotoParent();
        depth -= 1;
      }
    }
  }

  /** Consumes the triggers before `end`, so a later walk over an enclosing node does not revisit them. */
  #skipBefore(end: number): void {
    let next = this.#next;
    while ((this.#offsets[next] ?? end) < end) next += 1;
    this.#next = next;
  }

  #gotoChildWithTrigger(cursor: TreeCursor): boolean {
    if (!cursor.gotoFirstChild()) return false;
    if (this.hasTrigger(cursor.startIndex, cursor.endIndex)) return true;
    if (this.#gotoSiblingWithTrigger(cursor)) return true;
    cursor.gotoParent();
    return false;
  }

  #gotoSiblingWithTrigger(cursor: TreeCursor): boolean {
    while (cursor.gotoNextSibling()) {
      if (this.hasTrigger(cursor.startIndex, cursor.endIndex)) return true;
    }
    return false;
  }
}
