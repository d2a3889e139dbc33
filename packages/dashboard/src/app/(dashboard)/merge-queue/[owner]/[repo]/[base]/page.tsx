import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import {
  QuantumMergeApiError,
  queueIdOf,
  queuePath,
  readQueueView,
  type QueueParams,
} from '@/lib/merge-queue';
import { scrub } from '@/lib/scrub';
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
  const view = await readQueueView(queue).catch((error: unknown) => {
    // Expected while Quantum Merge is down: said in the page (production builds hide a thrown message).
    if (error instanceof QuantumMergeApiError) return error;
    throw error;
  });
  if (view instanceof QuantumMergeApiError)
    return (
      <>
        <h1>
          {queue.repo} → {queue.base}
        </h1>
        <p className="error" data-testid="merge-queue-error">
          {await scrub(view.message)}
        </p>
      </>
    );
  if (view === undefined) notFound();
  return <LiveQueue initial={view} eventsUrl={`/api${queuePath(queue)}/events`} />;
}
