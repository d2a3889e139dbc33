import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { queueIdOf, queuePath, readQueueView, type QueueParams } from '@/lib/merge-queue';
import { LiveQueue } from '@/app/ui/merge-queue/live-queue';

interface QueuePageProps {
  readonly params: Promise<QueueParams>;
}

export async function generateMetadata({ params }: QueuePageProps): Promise<Metadata> {
  const queue = queueIdOf(await params);
  return { title: `${queue.repo} → ${queue.base}` };
}

/** One merge queue, read from Quantum Merge's API now and then kept live over server-sent events. */
export default async function QueuePage({ params }: QueuePageProps) {
  const queue = queueIdOf(await params);
  const view = await readQueueView(queue);
  if (view === undefined) notFound();
  return <LiveQueue initial={view} eventsUrl={`/api${queuePath(queue)}/events`} />;
}
