'use client';
import { PageError } from '@/app/ui/page-error';

/** Shown when the LivePatch pages cannot be rendered, e.g. the configuration is invalid. */
export default function LivePatchError({ error, reset }: { error: Error; reset: () => void }) {
  return <PageError title="LivePatch unavailable" error={error} reset={reset} />;
}
