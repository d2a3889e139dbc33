/** Shown while a merge queue page reads Redis. */
export default function Loading() {
  return <p className="muted">Loading…</p>;
}
