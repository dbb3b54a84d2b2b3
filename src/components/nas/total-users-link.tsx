'use client';

import Link from 'next/link';
import { useCan } from '@/components/actor-context';

/** Total Users of a NAS, opening the Subscribers page filtered to it (for those who may see subscribers). */
export function TotalUsersLink({ nasId, count }: { nasId: number; count: number }) {
  const can = useCan();
  if (!can('subscribers.view')) return <span data-testid="total-users">{count}</span>;
  return (
    <Link
      href={`/subscribers?nas_id=${nasId}`}
      className="text-sky-700 hover:underline max-md:inline-flex max-md:min-h-10 max-md:min-w-10 max-md:items-center"
      title="Show this NAS's subscribers"
      data-testid="total-users"
    >
      {count}
    </Link>
  );
}
