'use client';

import Link from 'next/link';
import { useCan } from '@/components/actor-context';

/** A NAS's Active sessions, opening the Sessions page filtered to it (for those who may see sessions). */
export function ActiveSessionsLink({ nasId, count }: { nasId: number; count: number }) {
  const can = useCan();
  if (!can('sessions.view')) return <span data-testid="active-sessions">{count}</span>;
  return (
    <Link
      href={`/sessions?nas_id=${nasId}`}
      className="text-sky-700 hover:underline"
      title="Show this NAS's open sessions"
      data-testid="active-sessions"
    >
      {count}
    </Link>
  );
}
