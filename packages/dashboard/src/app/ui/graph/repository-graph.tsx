import { VelocityError } from '@velocity/core';
import { loadRepositoryGraph } from '../../../lib/graph';
import { MAX_REPORT_BYTES, type LoadedGraph } from '../../../lib/graph-report';
import { scrub } from '../../../lib/scrub';
import { GraphExplorer } from './graph-explorer';

/**
 * Loads the asked-for repository's graph on the server (running dep-ci), then hands it to the explorer; a
 * failure on purpose (unknown repository, dep-ci failing, bad config) is shown in its place.
 */
export async function RepositoryGraph({ repository }: { repository: string | undefined }) {
  let loaded: LoadedGraph | undefined;
  let error: string | undefined;
  if (repository !== undefined) {
    try {
      loaded = await loadRepositoryGraph(repository);
    } catch (caught) {
      if (!(caught instanceof VelocityError)) throw caught;
      error = await scrub(caught.message);
    }
  }
  return (
    <>
      {error === undefined ? null : (
        <p className="error" role="alert" data-testid="graph-error">
          {error}
        </p>
      )}
      <GraphExplorer initial={loaded} maxReportBytes={MAX_REPORT_BYTES} />
    </>
  );
}
