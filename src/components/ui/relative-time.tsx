'use client';

import { useEffect, useState } from 'react';

export function formatRelative(iso: string, now: number): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  // Negative when the server's clock runs slightly ahead of the browser's.
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return `${days} d ago`;
}

/** "2 min ago", re-rendered every 30 s so a page left open does not lie; the exact time is in the tooltip. */
export function RelativeTime({ iso, never = 'never', testId }: { iso: string | null; never?: string; testId?: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  if (!iso) return <span data-testid={testId}>{never}</span>;
  // Until mounted, render the absolute time: server and browser clocks differ, relative text would mismatch.
  const text = now === null ? new Date(iso).toISOString().slice(0, 16).replace('T', ' ') : formatRelative(iso, now);
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()} data-testid={testId}>
      {text}
    </time>
  );
}
