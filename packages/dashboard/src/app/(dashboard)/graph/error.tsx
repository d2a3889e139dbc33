'use client';
import { PageError } from '@/app/ui/page-error';

/** Shown when the graph page failed unexpectedly (errors on purpose are shown in the page itself). */
export default function GraphError({ error, reset }: { error: Error; reset: () => void }) {
  return <PageError title="Import graph unavailable" error={error} reset={reset} />;
}
