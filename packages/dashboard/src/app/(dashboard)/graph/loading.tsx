/** Shown while the graph page starts rendering. */
export default function Loading() {
  return <p className="muted">Loading…</p>;
}
