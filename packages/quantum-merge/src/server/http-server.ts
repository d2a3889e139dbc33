import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '@velocity/core';
import { WebhookSignatureError } from '../github/errors.js';
import { verifyWebhookDelivery } from '../github/webhooks.js';
import type { JobQueues } from '../runtime/job-queues.js';
import type { QueueApi } from './queue-api.js';

/** What {@link createQuantumMergeServer} works with. */
export interface QuantumMergeServerOptions {
  /** The secret GitHub signs deliveries with. */
  readonly webhookSecret: string;
  /** Where verified deliveries go. */
  readonly jobs: Pick<JobQueues, 'addWebhook'>;
  readonly api: QueueApi;
  /** Bearer token the JSON API requires; open when absent. */
  readonly apiToken: string | undefined;
  /** Checks the Redis connection for `/healthz`. */
  readonly ping: () => Promise<unknown>;
  readonly logger: Logger;
  /** Largest body accepted, bytes. @defaultValue 25 MiB (GitHub caps payloads at 25 MB) */
  readonly maxBodyBytes?: number;
}

class HttpError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * The HTTP server of `quantum-merge serve`:
 *
 * - `POST /webhooks`: a GitHub delivery. The `X-Hub-Signature-256` HMAC is verified against the raw body
 *   (401 and nothing queued when it does not match); a verified delivery is queued as a BullMQ job and
 *   answered 202, a redelivered one (same `X-GitHub-Delivery`) 200 with `{"duplicate":true}`.
 * - `GET /healthz`: 200 when Redis answers, else 503.
 * - `GET /api/queues`, `GET /api/queue?repo=owner/name&base=main`, `GET /api/history?repo=…&base=…`,
 *   `GET /api/metrics?repo=…&base=…`: the JSON API the dashboard reads, behind
 *   `Authorization: Bearer <apiToken>` when a token is configured.
 */
export function createQuantumMergeServer(options: QuantumMergeServerOptions): Server {
  return createServer((req, res) => {
    void handle(options, req, res);
  });
}

async function handle(
  options: QuantumMergeServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  try {
    const reply = await route(options, req, url);
    send(res, reply.status, reply.body);
  } catch (error) {
    if (error instanceof HttpError) {
      send(res, error.status, { error: error.message });
      return;
    }
    options.logger.error('Request failed', { path: url.pathname, error });
    send(res, 500, { error: 'internal error; see the server log' });
  }
}

async function route(
  options: QuantumMergeServerOptions,
  req: IncomingMessage,
  url: URL,
): Promise<{ status: number; body: unknown }> {
  const { pathname } = url;
  if (pathname === '/webhooks') {
    if (req.method !== 'POST') throw new HttpError(405, 'use POST');
    return receiveWebhook(options, req);
  }
  if (req.method !== 'GET') throw new HttpError(405, 'use GET');
  if (pathname === '/healthz') {
    try {
      await options.ping();
      return { status: 200, body: { ok: true, redis: 'up' } };
    } catch {
      return { status: 503, body: { ok: false, redis: 'down' } };
    }
  }
  if (!pathname.startsWith('/api/')) throw new HttpError(404, 'not found');
  authorize(options.apiToken, req);
  if (pathname === '/api/queues') return { status: 200, body: await options.api.queues() };
  const repo = url.searchParams.get('repo');
  const base = url.searchParams.get('base');
  if (repo === null || base === null) throw new HttpError(400, 'give ?repo=owner/name&base=branch');
  const queue = { repo, base };
  if (!(await options.api.has(queue))) throw new HttpError(404, `no queue for ${repo} ${base}`);
  switch (pathname) {
    case '/api/queue':
      return { status: 200, body: await options.api.detail(queue) };
    case '/api/history':
      return { status: 200, body: await options.api.history(queue) };
    case '/api/metrics':
      return { status: 200, body: await options.api.metrics(queue) };
    default:
      throw new HttpError(404, 'not found');
  }
}

async function receiveWebhook(
  options: QuantumMergeServerOptions,
  req: IncomingMessage,
): Promise<{ status: number; body: unknown }> {
  const payload = await readBody(req, options.maxBodyBytes ?? 25 * 1024 * 1024);
  const deliveryId = header(req, 'x-github-delivery');
  const event = header(req, 'x-github-event');
  try {
    await verifyWebhookDelivery(options.webhookSecret, {
      payload,
      signature: header(req, 'x-hub-signature-256'),
      ...(deliveryId === undefined ? {} : { deliveryId }),
    });
  } catch (error) {
    if (!(error instanceof WebhookSignatureError)) throw error;
    options.logger.warn('Webhook delivery refused: bad signature', { deliveryId });
    throw new HttpError(401, 'signature does not match');
  }
  if (deliveryId === undefined || event === undefined) {
    throw new HttpError(400, 'missing X-GitHub-Delivery or X-GitHub-Event');
  }
  if (event === 'ping') return { status: 200, body: { ok: true } };
  const result = await options.jobs.addWebhook({ event, deliveryId, payload });
  options.logger.debug('Webhook delivery', { event, deliveryId, result });
  return result === 'duplicate'
    ? { status: 200, body: { duplicate: true } }
    : { status: 202, body: { queued: true } };
}

function authorize(token: string | undefined, req: IncomingMessage): void {
  if (token === undefined) return;
  const given = Buffer.from(header(req, 'authorization') ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(401, 'missing or wrong bearer token');
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}
