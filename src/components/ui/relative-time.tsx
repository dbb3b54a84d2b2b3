'use client';

import { useSyncExternalStore } from 'react';

export function formatRelative(iso: string, now: number): string {
  const delta = Math.round((now - new Date(iso).getTime()) / 1000);
  // Slightly negative when the server's clock runs ahead of the browser's: still "just now".
  if (Math.abs(delta) < 45) return 'just now';
  const seconds = Math.abs(delta);
  const minutes = Math.round(seconds / 60);
  const hours = Math.round(minutes / 60);
  const span = minutes < 60 ? `${minutes} min` : hours < 24 ? `${hours} h` : `${Math.round(hours / 24)} d`;
  return delta > 0 ? `${span} ago` : `in ${span}`;
}

/** "2 min ago", re-rendered every 30 s so a page left open does not lie; the exact time is in the tooltip. */
export function RelativeTime({ iso, never = 'never', testId }: { iso: string | null; never?: string; testId?: string }) {
  const now = useSyncExternalStore(subscribeClock, clockNow, serverClock);
  if (!iso) return <span data-testid={testId}>{never}</span>;
  // Until mounted, render the absolute time: server and browser clocks differ, relative text would mismatch.
  const text = now === null ? new Date(iso).toISOString().slice(0, 16).replace('T', ' ') : formatRelative(iso, now);
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()} data-testid={testId}>
      {text}
    </time>
  );
}

// The browser's clock as an external store that ticks every 30 s. The server has no "now" to agree with the
// browser on (null), so the first render shows the absolute time and the hydrated one the relative text.
const TICK_MS = 30_000;
const subscribeClock = (tick: () => void) => {
  const t = setInterval(tick, TICK_MS);
  return () => clearInterval(t);
};
const clockNow = () => Math.floor(Date.now() / TICK_MS) * TICK_MS;
const serverClock = () => null;
