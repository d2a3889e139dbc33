/**
 * `POST /api/graph/report?name=<file name>`: an uploaded `dep-ci graph --format json` report (the request body,
 * UTF-8, at most {@link MAX_REPORT_BYTES}) checked and answered as a scrubbed {@link LoadedGraph}; a report
 * that does not fit answers 400, one too large 413, each as `{error}`.
 */
import { isLoggedIn } from '../../../../lib/auth';
import {
  GraphReportError,
  MAX_REPORT_BYTES,
  parseGraphReport,
  type LoadedGraph,
} from '../../../../lib/graph-report';
import { scrub } from '../../../../lib/scrub';

export const dynamic = 'force-dynamic';

/** Longest file name kept for display, characters. */
const MAX_NAME_LENGTH = 200;

const TOO_LARGE = `The file is larger than ${MAX_REPORT_BYTES / 1024 / 1024} MB. Upload a dep-ci graph --format json report, or load the repository on the server.`;

/** The body as text, or `undefined` when it is longer than `limit` bytes. */
async function readBody(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<string | undefined> {
  if (body === null) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    length += read.value.byteLength;
    if (length > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function failure(message: string, status: number): Promise<Response> {
  return Response.json({ error: await scrub(message) }, { status });
}

/** Checks an uploaded report; see the module comment for the answers. */
export async function POST(request: Request): Promise<Response> {
  if (!(await isLoggedIn()))
    return Response.json({ error: 'Not logged in. Log in at /login.' }, { status: 401 });
  if (Number(request.headers.get('content-length') ?? 0) > MAX_REPORT_BYTES)
    return failure(TOO_LARGE, 413);
  const text = await readBody(request.body, MAX_REPORT_BYTES);
  if (text === undefined) return failure(TOO_LARGE, 413);
  const name = (new URL(request.url).searchParams.get('name') ?? '').slice(0, MAX_NAME_LENGTH);
  try {
    const loaded: LoadedGraph = {
      source: { kind: 'report', name: name === '' ? 'report.json' : name },
      graph: parseGraphReport(text),
      ignoreTypeImports: false,
    };
    return Response.json(await scrub(loaded));
  } catch (error) {
    if (!(error instanceof GraphReportError)) throw error;
    return failure(error.message, 400);
  }
}
