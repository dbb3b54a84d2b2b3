import Link from 'next/link';

/** Missing and out-of-scope look the same on purpose: a reseller learns nothing about other resellers' NAS. */
export function NasNotFound() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6" data-testid="nas-not-found">
      <h1 className="text-lg font-semibold text-slate-900">NAS not found</h1>
      <p className="mt-1 text-sm text-slate-500">It may have been deleted, or it is not assigned to you.</p>
      <Link
        href="/nas"
        className="mt-3 inline-block text-sm text-sky-700 hover:underline max-md:inline-flex max-md:min-h-10 max-md:items-center"
      >
        ← Back to NAS / Routers
      </Link>
    </div>
  );
}
