import 'server-only';
import { status, type ServiceError } from '@grpc/grpc-js';
import { agentClient, type ConfiguredAgent } from './livepatch-client.js';
import type { AgentLogLine, ScrubFunction } from './livepatch-status.js';

/** Options of {@link followAgentLogs}. */
export interface FollowAgentLogsOptions {
  /** Ends the stream; the returned promise then resolves. */
  readonly signal: AbortSignal;
  /** Called with each line, after `scrub`, in the agent's order. */
  readonly onLine: (line: AgentLogLine) => void;
  /** Applied to every line before `onLine` sees it. */
  readonly scrub: ScrubFunction;
}

/**
 * Follows an agent's log over its `Logs` stream (`follow: true`): first the records the agent keeps (its last
 * 1,000), then each new one as it happens: the app's output and the agent's events, which the agent scrubbed
 * already; each goes through `scrub` again before `onLine` sees it.
 *
 * @returns resolves once the agent ends the stream or `signal` aborts, after the last line was handed over
 * @throws the gRPC `ServiceError` when the agent cannot be reached or the stream breaks, and
 *   {@link agentClient}'s certificate errors
 */
export async function followAgentLogs(
  agent: ConfiguredAgent,
  { signal, onLine, scrub }: FollowAgentLogsOptions,
): Promise<void> {
  const client = await agentClient(agent);
  if (signal.aborted) return;
  const call = client.Logs({ follow: true });
  const cancel = () => call.cancel();
  signal.addEventListener('abort', cancel, { once: true });
  // Scrubbing is asynchronous; chaining keeps the lines in order.
  let delivered = Promise.resolve();
  try {
    await new Promise<void>((done, fail) => {
      call.on('data', (line: AgentLogLine) => {
        delivered = delivered.then(async () => onLine(await scrub(line)));
      });
      call.on('end', () => done());
      call.on('error', (error: ServiceError) => {
        if (error.code === status.CANCELLED) done();
        else fail(error);
      });
    });
  } finally {
    signal.removeEventListener('abort', cancel);
  }
  await delivered;
}
