import Link from 'next/link';
import { agentPath, type AgentHealth } from '../../../lib/agents';
import { AgentState } from './agent-state';

/** The configured LivePatch agents' health, for the overview: name, address, up with latency or down with why. */
export function AgentHealthList({ agents }: { agents: readonly AgentHealth[] }) {
  return (
    <ul className="livepatch-health" data-testid="agent-health">
      {agents.length === 0 ? (
        <li className="muted">No LivePatch agent configured (dashboard.agents).</li>
      ) : (
        agents.map((agent) => (
          <li key={agent.name} data-agent={agent.name} data-up={agent.up}>
            <Link href={agentPath(agent.name)}>{agent.name}</Link>{' '}
            <span className="muted">{agent.address}</span> <AgentState agent={agent} />
          </li>
        ))
      )}
    </ul>
  );
}
