'use client';

/**
 * The body of a route segment's `error.tsx`: what failed, the (server-scrubbed) message and a retry.
 * @see https://nextjs.org/docs/app/api-reference/file-conventions/error
 */
export function PageError({
  title,
  error,
  reset,
}: {
  title: string;
  error: Error;
  reset: () => void;
}) {
  return (
    <>
      <h1>{title}</h1>
      <p className="error">{error.message}</p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </>
  );
}
