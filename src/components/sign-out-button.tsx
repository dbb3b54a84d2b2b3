'use client';

import { signOut } from 'next-auth/react';

export function SignOutButton() {
  return (
    <button
      type="button"
      onClick={() => signOut({ callbackUrl: '/signin' })}
      className="-ml-2 min-h-10 px-2 text-sm text-slate-300 hover:text-white md:min-h-0 md:py-1"
    >
      Sign out
    </button>
  );
}
