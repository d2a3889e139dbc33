import type { AffectedTests, BaseSelection } from '../../../lib/graph-report';

/** Props of {@link AffectedPanel}. */
export interface AffectedPanelProps {
  readonly affected: AffectedTests;
  /** The dep-ci selection shown, when the change is a base ref's rather than picked files. */
  readonly base: BaseSelection | undefined;
  /** The test whose chain is focused in the graph. */
  readonly focusTest: string | undefined;
  readonly onUnpick: (path: string) => void;
  readonly onClear: () => void;
  readonly onFocusTest: (test: string) => void;
}

/** A chain as people read it: the test first, each file importing the next, down to the changed file. */
function formatChain(chain: readonly string[]): string {
  return [...chain].reverse().join(' → ');
}

/** The change (picked files or a base ref's), its affected tests, and the import chain of each. */
export function AffectedPanel({
  affected,
  base,
  focusTest,
  onUnpick,
  onClear,
  onFocusTest,
}: AffectedPanelProps) {
  return (
    <section className="graph-panel" aria-label="Change and affected tests">
      <h2>Changed files</h2>
      {base === undefined ? null : (
        <p className="muted" data-testid="base-selection">
          From <code>dep-ci affected --base {base.base}</code>
        </p>
      )}
      {affected.changed.length === 0 ? (
        <p className="muted">
          None yet: click a file in the graph, tick it in the search results, or compare with a base
          ref.
        </p>
      ) : (
        <>
          <ul className="graph-list" data-testid="changed-files">
            {affected.changed.map((path) => (
              <li key={path} data-path={path}>
                <code>{path}</code>{' '}
                <button
                  type="button"
                  className="link"
                  aria-label={`Unpick ${path}`}
                  onClick={() => onUnpick(path)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
          <button type="button" onClick={onClear}>
            Clear
          </button>
        </>
      )}
      {base?.runAll === true ? (
        <div className="graph-run-all" data-testid="run-all" role="status">
          <strong>dep-ci runs every test</strong>, because:
          <ul>
            {base.runAllReasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <h2>
        Affected tests <span data-testid="affected-count">{affected.tests.length}</span>
      </h2>
      {affected.reasons.length === 0 ? null : (
        <ol className="graph-list" data-testid="affected-tests">
          {affected.reasons.map(({ test, chain }) => (
            <li key={test} data-test={test} className={test === focusTest ? 'graph-focused' : ''}>
              <button
                type="button"
                className="link"
                aria-pressed={test === focusTest}
                onClick={() => onFocusTest(test)}
              >
                {test}
              </button>
              <div className="muted" data-testid="chain" title="Each file imports the next">
                {formatChain(chain)}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
