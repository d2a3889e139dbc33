'use client';
import { PageError } from '@/app/ui/page-error';

/** Shown when reading the queues failed, e.g. Quantum Merge does not answer. */
export default function MergeQueueError({ error, reset }: { error: Error; reset: () => void }) {
  return <PageError title="Merge queue unavailable" error={error} reset={reset} />;
}
