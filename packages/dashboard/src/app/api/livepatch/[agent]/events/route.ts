/**
 * One agent, live, as server-sent events, everything scrubbed on the server:
 * - `status`: the whole {@link AgentView} (JSON), first at once, then again after each agent event (batch
 *   applied, reload, restart, rollback, crash);
 * - `log`: one {@link AgentLogLine} (JSON), first the lines the agent keeps, then each new one;
 * - `unavailable`: `{"error": string}` when the log stream cannot be opened or breaks; the response then ends and
 *   the browser reconnects after `retry` ms, getting the kept lines again.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
import {
  findAgent,
  readAgentView,
  type AgentLogLine,
  type AgentView,
} from '../../../../../lib/agents';
import { isLoggedIn } from '../../../../../lib/auth';
import { eventStreamResponse } from '../../../../../lib/event-stream';
import { followAgentLogs } from '../../../../../lib/livepatch-logs';
import { scrub } from '../../../../../lib/scrub';

export const dynamic = 'force-dynamic';

/** How long the browser waits before reconnecting, ms (the stream's `retry` field). */
const RETRY_MS = 1_000;
/** Agent events arriving within this many ms cause one status read, not one each. */
const STATUS_DEBOUNCE_MS = 100;

export async function GET(
  request: Request,
  { params }: { params: Promise<{ agent: string }> },
): Promise<Response> {
  if (!(await isLoggedIn()))
    return Response.json({ error: 'Not logged in. Log in at /login.' }, { status: 401 });
  const { agent: name } = await params;
  const agent = await findAgent(name);
  if (agent === undefined)
    return Response.json(
      { error: await scrub(`No agent "${name}". Add it to dashboard.agents.`) },
      { status: 404 },
    );
  return eventStreamResponse(
    request,
    (stream) => {
      let statusTimer: ReturnType<typeof setTimeout> | undefined;
      stream.signal.addEventListener('abort', () => clearTimeout(statusTimer));
      const sendEvent = (event: string, data: AgentView | AgentLogLine | { error: string }) =>
        stream.send(event, JSON.stringify(data));
      const sendStatus = async () => {
        const view = await readAgentView(name);
        if (view !== undefined) sendEvent('status', view);
      };
      void sendStatus()
        .then(() =>
          followAgentLogs(agent, {
            signal: stream.signal,
            scrub,
            onLine: (line) => {
              sendEvent('log', line);
              if (line.stream !== 'event') return;
              clearTimeout(statusTimer);
              // A failed read skips this update; the next event or reconnect reads the status again.
              statusTimer = setTimeout(
                () => void sendStatus().catch(() => undefined),
                STATUS_DEBOUNCE_MS,
              );
            },
          }),
        )
        .catch(async (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          sendEvent('unavailable', { error: await scrub(message) });
        })
        .finally(() => stream.close());
    },
    { retryMs: RETRY_MS },
  );
}
