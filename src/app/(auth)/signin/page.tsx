import { safeCallbackPath } from '@/server/auth/callback-path';
import { signinErrorMessage } from './signin-error';
import { SignInForm } from './signin-form';

export const metadata = { title: 'Sign in · NAS Panel' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="mb-1 text-xl font-semibold">NAS Panel</h1>
        <p className="mb-6 text-sm text-slate-500">Sign in to manage your routers.</p>
        <SignInForm callbackUrl={safeCallbackPath(callbackUrl)} initialError={signinErrorMessage(error)} />
      </div>
    </main>
  );
}
