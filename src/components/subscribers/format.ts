/** Bytes as an engineer reads them on a session row: 1.2 GB, 340 MB, 12 kB. */
export function formatBytes(n: number | null): string {
  if (n === null) return '—';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** A duration in seconds as 3d 4h, 2h 5m, 4m 10s. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** How long a session has been up, from its start. */
export function uptimeSince(iso: string | null, now = Date.now()): string {
  return iso ? formatDuration((now - Date.parse(iso)) / 1000) : '—';
}
