/** Shown while the LivePatch pages ask the agents for their status. */
export default function Loading() {
  return <p className="muted">Asking the agents…</p>;
}
