import 'server-only';
import type {
  QueueDetail,
  QueueHistory,
  QueueId,
  QueueMetrics,
  QueueSummary,
} from '@velocity/quantum-merge';
import { loadDashboardConfig } from './config';
import { scrub } from './scrub';

/** Everything the queue page shows; also what the live stream sends. */
export interface QueueView {
  readonly detail: QueueDetail;
  readonly history: QueueHistory;
  readonly metrics: QueueMetrics;
}

/** Route params of `/merge-queue/[owner]/[repo]/[base]`, already URL-decoded by Next. */
export interface QueueParams {
  readonly owner: string;
  readonly repo: string;
  readonly base: string;
}

/** Time one request to Quantum Merge may take, ms. */
const REQUEST_TIMEOUT_MS = 5_000;

/** Quantum Merge's JSON API did not answer, or answered with an error. */
export class QuantumMergeApiError extends Error {
  override readonly name = 'QuantumMergeApiError';
  /** The request, without credentials. */
  readonly url: string;
  /** The HTTP status; `undefined` when no answer came. */
  readonly status: number | undefined;

  constructor(url: string, status: number | undefined, detail: string) {
    super(
      status === undefined
        ? `Quantum Merge does not answer at ${url}: ${detail}. Start it (quantum-merge serve) or set dashboard.quantumMergeUrl.`
        : status === 401
          ? `Quantum Merge refused the API token (401 at ${url}). Set quantumMerge.apiToken to the server's token.`
          : `Quantum Merge answered ${status} at ${url}: ${detail}`,
    );
    this.url = url;
    this.status = status;
  }
}

/** The queue a page or stream is about. */
export function queueIdOf(params: QueueParams): QueueId {
  return { repo: `${params.owner}/${params.repo}`, base: params.base };
}

/** The page path of a queue; the base may hold `/`, so each segment is encoded. */
export function queuePath(queue: QueueId): string {
  return `/merge-queue/${queue.repo.split('/').map(encodeURIComponent).join('/')}/${encodeURIComponent(queue.base)}`;
}

/**
 * GET `path` from `dashboard.quantumMergeUrl` with the bearer `quantumMerge.apiToken`, parsed and scrubbed.
 *
 * @returns the body, or `undefined` for a 404
 * @throws {@link QuantumMergeApiError} when the server does not answer in time or answers another error
 */
async function getJson<T>(
  path: string,
  query: Record<string, string> = {},
): Promise<T | undefined> {
  const { config } = await loadDashboardConfig();
  const url = new URL(path, config.dashboard.quantumMergeUrl);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const token = config.quantumMerge.apiToken;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        accept: 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      cache: 'no-store',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new QuantumMergeApiError(
      url.href,
      undefined,
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error),
    );
  }
  if (response.status === 404) return undefined;
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    throw new QuantumMergeApiError(url.href, response.status, body.error ?? response.statusText);
  }
  return scrub((await response.json()) as T);
}

/** Every queue Quantum Merge knows, by repository then base. @throws {@link QuantumMergeApiError} */
export async function listQueues(): Promise<QueueSummary[]> {
  const queues = (await getJson<QueueSummary[]>('/api/queues')) ?? [];
  return queues.sort((a, b) => a.repo.localeCompare(b.repo) || a.base.localeCompare(b.base));
}

/**
 * The live queue, its history and its metrics, read now.
 *
 * @returns `undefined` when Quantum Merge has no such queue
 * @throws {@link QuantumMergeApiError}
 */
export async function readQueueView(queue: QueueId): Promise<QueueView | undefined> {
  const query = { repo: queue.repo, base: queue.base };
  const [detail, history, metrics] = await Promise.all([
    getJson<QueueDetail>('/api/queue', query),
    getJson<QueueHistory>('/api/history', query),
    getJson<QueueMetrics>('/api/metrics', query),
  ]);
  if (detail === undefined || history === undefined || metrics === undefined) return undefined;
  return { detail, history, metrics };
}
