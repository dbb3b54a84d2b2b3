import Link from 'next/link';

/** "← Parent page" above a page's title: small on a desktop, a 40 px tall target on a phone. */
export function BackLink({ href, children }: { href: string; children: React.ReactNode }) {
  return (
    <Link
      href={href}
      className="text-xs text-slate-500 hover:text-slate-800 max-md:inline-flex max-md:min-h-10 max-md:min-w-10 max-md:items-center"
    >
      ← {children}
    </Link>
  );
}
