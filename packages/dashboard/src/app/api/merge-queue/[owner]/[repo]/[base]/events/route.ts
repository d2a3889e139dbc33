/**
 * The live queue as server-sent events: re-reads the queue from Quantum Merge's API every 500 ms and sends a `queue` event holding the
 * whole {@link QueueView} (JSON) whenever it changed, the first one at once.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
import { isLoggedIn } from '@/lib/auth';
import { eventStreamResponse } from '@/lib/event-stream';
import { queueIdOf, readQueueView, type QueueParams, type QueueView } from '@/lib/merge-queue';
import { scrub } from '@/lib/scrub';

export const dynamic = 'force-dynamic';

/** Interval between reads of the queue, ms. */
const POLL_MS = 500;

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
  return eventStreamResponse(request, (stream) => {
    let last = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    stream.signal.addEventListener('abort', () => clearTimeout(timer));
    const poll = async () => {
      try {
        // The view read to answer the request is the first event.
        const view = first ?? (await readQueueView(queue));
        first = undefined;
        if (view === undefined) throw new Error(`The queue "${queue.repo}:${queue.base}" is gone.`);
        const json = JSON.stringify(view);
        if (json !== last) {
          last = json;
          stream.send('queue', json);
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        stream.send('unavailable', JSON.stringify({ error: await scrub(message) }));
      }
      if (!stream.signal.aborted) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
  });
}
