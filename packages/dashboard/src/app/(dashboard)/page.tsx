import Link from 'next/link';
import { AgentHealthList } from '@/app/ui/livepatch/agent-health';
import { readAgentHealth } from '@/lib/agents';
import { pingQuantumMerge, pingRedis, type ServiceHealth } from '@/lib/health';
import { listQueues } from '@/lib/merge-queue';

/** One health card: up with its round trip, or down with the reason. */
function HealthCard({
  name,
  testId,
  health,
}: {
  name: string;
  testId: string;
  health: ServiceHealth;
}) {
  const up = health.ms !== null;
  return (
    <div className="card" data-testid={testId}>
      {name}
      <strong className={up ? 'state-passed' : 'state-failed'}>{up ? 'up' : 'down'}</strong>
      <span className="muted">{up ? `${health.ms} ms` : health.error}</span>
    </div>
  );
}

/** Overview: the health of Redis, Quantum Merge and the LivePatch agents, and links to every page. */
export default async function OverviewPage() {
  const [redis, quantumMerge, agents] = await Promise.all([
    pingRedis(),
    pingQuantumMerge(),
    readAgentHealth(),
  ]);
  const queues = quantumMerge.ms === null ? [] : await listQueues().catch(() => []);
  return (
    <>
      <h1>Overview</h1>
      <div className="cards">
        <HealthCard name="Redis" testId="redis-health" health={redis} />
        <HealthCard name="Quantum Merge" testId="quantum-merge-health" health={quantumMerge} />
      </div>
      <h2>LivePatch agents</h2>
      <AgentHealthList agents={agents} />
      <div className="cards">
        <div className="card">
          <Link href="/graph">Import graph</Link>
          <span className="muted">dep-ci: affected tests and why</span>
        </div>
        <div className="card">
          <Link href="/livepatch">LivePatch</Link>
          <span className="muted">agents, batches and live logs</span>
        </div>
        <div className="card" data-testid="queues-summary">
          <Link href="/merge-queue">Merge queues</Link>
          <strong>{queues.length}</strong>
          <span className="muted">
            {queues.reduce((sum, queue) => sum + queue.active, 0)} PRs active
          </span>
        </div>
      </div>
    </>
  );
}
