import type { Metadata } from 'next';
import Link from 'next/link';
import { listQueues, QuantumMergeApiError, queuePath } from '@/lib/merge-queue';
import { scrub } from '@/lib/scrub';

export const metadata: Metadata = { title: 'Merge queues' };

/** Every merge queue with its counts. */
export default async function MergeQueuesPage() {
  const queues = await listQueues().catch((error: unknown) => {
    // Expected while Quantum Merge is down: said in the page (production builds hide a thrown message).
    if (error instanceof QuantumMergeApiError) return error;
    throw error;
  });
  return (
    <>
      <h1>Merge queues</h1>
      {queues instanceof QuantumMergeApiError ? (
        <p className="error" data-testid="merge-queue-error">
          {await scrub(queues.message)}
        </p>
      ) : queues.length === 0 ? (
        <p className="muted">No queue yet: Quantum Merge creates one when a PR is first queued.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Repository</th>
              <th>Base</th>
              <th>Active</th>
              <th>Running builds</th>
              <th>Merged</th>
              <th>Failed</th>
            </tr>
          </thead>
          <tbody>
            {queues.map((queue) => (
              <tr key={`${queue.repo}:${queue.base}`}>
                <td>
                  <Link href={queuePath(queue)}>{queue.repo}</Link>
                </td>
                <td>{queue.base}</td>
                <td>{queue.active}</td>
                <td>{queue.running}</td>
                <td>{queue.merged}</td>
                <td>{queue.failed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
