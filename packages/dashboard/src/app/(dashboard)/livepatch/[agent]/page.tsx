import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { agentPath, readAgentView } from '../../../../lib/agents';
import { LiveAgent } from '../../../ui/livepatch/live-agent';

interface AgentPageProps {
  /** The agent's name, already URL-decoded by Next. */
  readonly params: Promise<{ agent: string }>;
}

export async function generateMetadata({ params }: AgentPageProps): Promise<Metadata> {
  return { title: `LivePatch: ${(await params).agent}` };
}

/** One agent: its status, last batch and events, and the app's log, rendered now and then kept live. */
export default async function AgentPage({ params }: AgentPageProps) {
  const { agent: name } = await params;
  const view = await readAgentView(name);
  if (view === undefined) notFound();
  return <LiveAgent initial={view} eventsUrl={`/api${agentPath(name)}/events`} />;
}
