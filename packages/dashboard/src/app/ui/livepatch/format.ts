/** A byte count for people: `512 B`, `3.4 KiB`, `12.0 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * A time as ISO 8601 UTC to the second (`2025-01-31 14:05:09Z`): the same text on the server and in the browser,
 * whatever their time zones, so hydration matches.
 *
 * @param ms - ms since the Unix epoch
 */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}
