import 'server-only';

/** Interval between keep-alive comments, ms, so proxies do not close an idle stream. */
const KEEP_ALIVE_MS = 15_000;

/** One open server-sent event stream, as its producer sees it. */
export interface EventStream {
  /** Sends one event whose data is `json` (one line of JSON text); nothing once the stream is closed. */
  send(event: string, json: string): void;
  /** Aborted when the stream ends: the browser went away, or {@link EventStream.close} was called. */
  readonly signal: AbortSignal;
  /** Ends the response; the browser reconnects after its retry time. */
  close(): void;
}

/**
 * A `text/event-stream` response fed by `produce`, with keep-alive comments every 15 s and, with `retryMs`,
 * the browser's reconnection delay. The producer stops its own timers and calls on `stream.signal`.
 *
 * @param produce - called once, at once, with the open stream
 * @param options - `retryMs`: the reconnection delay sent first (the stream's `retry` field), ms
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
export function eventStreamResponse(
  request: Request,
  produce: (stream: EventStream) => void,
  options: { readonly retryMs?: number } = {},
): Response {
  const encoder = new TextEncoder();
  const done = new AbortController();
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  const end = () => {
    done.abort();
    clearInterval(keepAlive);
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        if (!done.signal.aborted) controller.enqueue(encoder.encode(text));
      };
      const close = () => {
        if (done.signal.aborted) return;
        end();
        controller.close();
      };
      keepAlive = setInterval(() => write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      request.signal.addEventListener('abort', close);
      if (options.retryMs !== undefined) write(`retry: ${options.retryMs}\n\n`);
      produce({
        send: (event, json) => write(`event: ${event}\ndata: ${json}\n\n`),
        signal: done.signal,
        close,
      });
    },
    // The browser went away: the body is closed already, only the producer's work remains to stop.
    cancel: end,
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
}
