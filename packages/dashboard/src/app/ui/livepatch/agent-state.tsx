import type { AgentReachability } from '../../../lib/agents';

/** `up` with the status call's round trip, or `down` with the reason. */
export function AgentState({ agent }: { agent: AgentReachability }) {
  return agent.up ? (
    <span data-testid="agent-state" data-up="true">
      <strong className="state state-passed">up</strong>{' '}
      <span className="muted">{agent.latencyMs} ms</span>
    </span>
  ) : (
    <span data-testid="agent-state" data-up="false">
      <strong className="state state-failed">down</strong>{' '}
      <span className="error" data-testid="agent-error">
        {agent.error}
      </span>
    </span>
  );
}
