/**
 * `GET /api/graph/affected?repository=<configured repository>&base=<ref>`: what `dep-ci affected --base <ref>`
 * selects there, as a scrubbed {@link BaseSelection}; `{error}` with 404 for a repository that is not
 * configured, 400 for anything else that went wrong on purpose (bad ref, dep-ci failing).
 */
import { VelocityError } from '@velocity/core';
import { isLoggedIn } from '../../../../lib/auth';
import { selectForBase, UnknownRepositoryError } from '../../../../lib/graph';
import type { BaseSelection } from '../../../../lib/graph-report';
import { scrub } from '../../../../lib/scrub';

export const dynamic = 'force-dynamic';

/** Runs the selection; see the module comment for the answers. */
export async function GET(request: Request): Promise<Response> {
  if (!(await isLoggedIn()))
    return Response.json({ error: 'Not logged in. Log in at /login.' }, { status: 401 });
  const query = new URL(request.url).searchParams;
  try {
    const selection: BaseSelection = await selectForBase(
      query.get('repository') ?? '',
      query.get('base') ?? '',
    );
    return Response.json(selection);
  } catch (error) {
    if (!(error instanceof VelocityError)) throw error;
    return Response.json(
      { error: await scrub(error.message) },
      { status: error instanceof UnknownRepositoryError ? 404 : 400 },
    );
  }
}
