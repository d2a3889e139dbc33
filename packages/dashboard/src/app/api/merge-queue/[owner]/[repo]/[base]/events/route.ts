/**
 * The live queue as server-sent events: re-reads the queue from Quantum Merge's API every 500 ms and sends a `queue` event holding the
 * whole {@link QueueView} (JSON) whenever it changed, the first one at once.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
import { isLoggedIn } from '@/lib/auth';
import { queueIdOf, readQueueView, type QueueParams, type QueueView } from '@/lib/merge-queue';

export const dynamic = 'force-dynamic';

/** Interval between reads of the queue, ms. */
const POLL_MS = 500;
/** Interval between keep-alive comments, ms, so proxies do not close an idle stream. */
const KEEP_ALIVE_MS = 15_000;

export async function GET(
  request: Request,
  { params }: { params: Promise<QueueParams> },
): Promise<Response> {
  if (!(await isLoggedIn()))
    return Response.json({ error: 'Not logged in. Log in at /login.' }, { status: 401 });
  const queue = queueIdOf(await params);
  let first: QueueView | undefined;
  try {
    first = await readQueueView(queue);
  } catch (error) {
    return Response.json(
      { error: error instanceof Error ? error.message : String(error) },
      { status: 502 },
    );
  }
  if (first === undefined)
    return Response.json({ error: `No queue "${queue.repo}:${queue.base}".` }, { status: 404 });
  const encoder = new TextEncoder();
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let last = '';
      let timer: ReturnType<typeof setTimeout> | undefined;
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const keepAlive = setInterval(() => send(': keep-alive\n\n'), KEEP_ALIVE_MS);
      stop = () => {
        if (closed) return;
        closed = true;
        clearTimeout(timer);
        clearInterval(keepAlive);
        controller.close();
      };
      const poll = async () => {
        try {
          // The view read to answer the request is the first event.
          const view = first ?? (await readQueueView(queue));
          first = undefined;
          if (view === undefined)
            throw new Error(`The queue "${queue.repo}:${queue.base}" is gone.`);
          const json = JSON.stringify(view);
          if (json !== last) {
            last = json;
            send(`event: queue\ndata: ${json}\n\n`);
          }
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          send(`event: unavailable\ndata: ${JSON.stringify({ error: message })}\n\n`);
        }
        if (!closed) timer = setTimeout(() => void poll(), POLL_MS);
      };
      request.signal.addEventListener('abort', () => stop());
      void poll();
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
}
