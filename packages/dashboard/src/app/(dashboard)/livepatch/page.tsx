import type { Metadata } from 'next';
import Link from 'next/link';
import { agentPath, readAgentViews } from '../../../lib/agents';
import { AgentEvents } from '../../ui/livepatch/agent-events';
import { AgentState } from '../../ui/livepatch/agent-state';
import { BatchSummary } from '../../ui/livepatch/batch-summary';

export const metadata: Metadata = { title: 'LivePatch' };

/** Events of each agent shown here; its page shows them all. */
const EVENTS_SHOWN = 5;

/** Every configured LivePatch agent: reachable or not (and why), its last batch and its latest events. */
export default async function LivePatchPage() {
  const agents = await readAgentViews();
  return (
    <>
      <h1>LivePatch agents</h1>
      {agents.length === 0 && (
        <p className="muted">
          No agent configured. List them under dashboard.agents (name, address, certs) in
          velocity.yaml.
        </p>
      )}
      {agents.map((agent) => (
        <section
          key={agent.name}
          className="livepatch-agent"
          data-testid="agent"
          data-agent={agent.name}
        >
          <h2>
            <Link href={agentPath(agent.name)}>{agent.name}</Link>{' '}
            <code className="muted" data-testid="agent-address">
              {agent.address}
            </code>
          </h2>
          <p>
            <AgentState agent={agent} />
          </p>
          {agent.up && (
            <>
              <p>
                Last batch: <BatchSummary batch={agent.status.lastBatch} />
              </p>
              <AgentEvents events={agent.status.events} limit={EVENTS_SHOWN} />
            </>
          )}
        </section>
      ))}
    </>
  );
}
