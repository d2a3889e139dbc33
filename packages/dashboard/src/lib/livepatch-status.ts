import 'server-only';
import { agentClient, type ConfiguredAgent, type LivePatchClient } from './livepatch-client.js';

/** Time a status call may take, ms; an agent that does not answer within it shows as down. */
const STATUS_TIMEOUT_MS = 2_000;

/** Makes a deep copy of a value with every secret replaced (the dashboard's `scrub`). */
export type ScrubFunction = <T>(value: T) => Promise<T>;

/** A configured agent as pages name it. */
export interface AgentRef {
  readonly name: string;
  /** HOST:PORT. */
  readonly address: string;
}

/** Up with the round trip of a status call (ms, one decimal), or down with the reason (scrubbed). */
export type AgentReachability =
  | { readonly up: true; readonly latencyMs: number }
  | { readonly up: false; readonly error: string };

/** One agent's health, as the overview page shows it. */
export type AgentHealth = AgentRef & AgentReachability;

/** One reload action a batch triggered (the proto's `ReloadReport`). */
export interface AgentReload {
  /** `sync` | `signal` | `restart` | `exec`. */
  readonly action: string;
  /** What was done, e.g. `SIGHUP to pid 42`. */
  readonly detail: string;
  readonly ok: boolean;
}

/** The last batch an agent applied (the proto's `BatchSummary`). */
export interface AgentBatch {
  /** The id the CLI chose. */
  readonly batchId: string;
  /** When it was written, ms since the Unix epoch. */
  readonly appliedAtMs: number;
  readonly filesChanged: number;
  readonly filesDeleted: number;
  /** Bytes the agent wrote. */
  readonly bytesWritten: number;
  /** From the agent starting to read the batch to its answer, reloads included, ms. */
  readonly latencyMs: number;
  readonly reloads: readonly AgentReload[];
}

/** One line of an agent's log: an agent event or a line of the app's output (the proto's `LogEvent`). */
export interface AgentLogLine {
  /** ms since the Unix epoch. */
  readonly timeMs: number;
  /** `stdout` | `stderr` (the app's output) | `event` (the agent's own). */
  readonly stream: string;
  /** For events: `batch-applied` | `reload` | `restart` | `rollback` | `crash` | `exec`; else `''`. */
  readonly kind: string;
  /** One line, scrubbed by the agent and again by the dashboard. */
  readonly text: string;
  /** The batch it is about, `''` for none. */
  readonly batchId: string;
}

/** What an agent's `GetStatus` answered. */
export interface AgentStatus {
  /** When the agent started serving, ms since the Unix epoch. */
  readonly startedAtMs: number;
  /** Batches applied since it started. */
  readonly batchesApplied: number;
  /** `null` before the first batch. */
  readonly lastBatch: AgentBatch | null;
  /** The agent's recent events (stream `event`), oldest first, at most 100. */
  readonly events: readonly AgentLogLine[];
}

/** Everything the LivePatch pages show about one agent; only an agent that is up has a status. */
export type AgentView = AgentRef &
  (
    | { readonly up: true; readonly latencyMs: number; readonly status: AgentStatus }
    | { readonly up: false; readonly error: string }
  );

function callGetStatus(client: LivePatchClient): Promise<AgentStatus> {
  return new Promise((resolve, reject) => {
    client.GetStatus({}, { deadline: Date.now() + STATUS_TIMEOUT_MS }, (error, response) => {
      if (response !== undefined) resolve(response);
      else reject(error ?? new Error('GetStatus answered nothing.'));
    });
  });
}

/**
 * Asks an agent for its status with one `GetStatus` call of at most 2 s, timed.
 *
 * @returns the view, passed through `scrub`: up with the call's round trip and the status, or down with the
 *   reason (unreachable, refused handshake, unusable certificates, no answer in time); never rejects but for
 *   `scrub`'s errors
 */
export async function probeAgent(agent: ConfiguredAgent, scrub: ScrubFunction): Promise<AgentView> {
  const ref = { name: agent.name, address: agent.address };
  let view: AgentView;
  try {
    const client = await agentClient(agent);
    const started = performance.now();
    const status = await callGetStatus(client);
    view = {
      ...ref,
      up: true,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      status,
    };
  } catch (error) {
    view = { ...ref, up: false, error: error instanceof Error ? error.message : String(error) };
  }
  return scrub(view);
}

/** A view without its status: what the overview's health list shows. */
export function healthOf(view: AgentView): AgentHealth {
  return view.up
    ? { name: view.name, address: view.address, up: true, latencyMs: view.latencyMs }
    : { name: view.name, address: view.address, up: false, error: view.error };
}
