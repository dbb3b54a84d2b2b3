import Link from 'next/link';

/** Missing and out-of-scope look the same on purpose: a reseller learns nothing about other resellers' subscribers. */
export function SubscriberNotFound() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6" data-testid="subscriber-not-found">
      <h1 className="text-lg font-semibold text-slate-900">Subscriber not found</h1>
      <p className="mt-1 text-sm text-slate-500">It may have been deleted, or it is not one of yours.</p>
      <Link
        href="/subscribers"
        className="mt-3 inline-block text-sm text-sky-700 hover:underline max-md:inline-flex max-md:min-h-10 max-md:items-center"
      >
        ← Back to Subscribers
      </Link>
    </div>
  );
}
