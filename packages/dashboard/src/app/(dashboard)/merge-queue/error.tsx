'use client';

/** Shown when reading the queues failed, e.g. Redis is down. */
export default function MergeQueueError({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <>
      <h1>Merge queue unavailable</h1>
      <p className="error">{error.message}</p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </>
  );
}
