import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { SIGNIN_UNAVAILABLE_CODE } from '@/app/(auth)/signin/signin-error';
import { env } from '@/env';
import { safeRedirectUrl } from './callback-path';
import { dummyHash } from './password';
import { revokeSession } from './sessions';
import { SigninThrottledError, signInWithPassword, type SignedIn } from './sign-in';

/** What next-auth cannot tell the options about the request: the client's address (client-address.ts). */
export interface AuthRequest {
  clientAddress: string;
}

export function authOptions(request: AuthRequest): NextAuthOptions {
  // Ready before the first unknown e-mail arrives, so that one is not slower than the rest either.
  void dummyHash();
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: env().SESSION_MAX_AGE_S },
    jwt: { maxAge: env().SESSION_MAX_AGE_S },
    pages: { signIn: '/signin' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        // next-auth hands a thrown error's message to the browser: only our own codes may get there.
        async authorize(credentials) {
          try {
            return await signInWithPassword(credentials?.email ?? '', credentials?.password ?? '', request.clientAddress);
          } catch (e) {
            if (e instanceof SigninThrottledError) throw e;
            console.error(`[auth] sign-in failed: ${e instanceof Error ? e.message : String(e)}`);
            throw new Error(SIGNIN_UNAVAILABLE_CODE);
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = Number(user.id);
          token.sid = (user as SignedIn).sessionId;
        }
        return token;
      },
      session({ session, token }) {
        if (session.user) (session.user as { id?: number }).id = token.uid as number;
        return session;
      },
      redirect: ({ url, baseUrl }) => safeRedirectUrl(url, baseUrl),
    },
    events: {
      // Ends the session row, not only the cookie in this browser: a copy of the cookie stops working too.
      async signOut({ token }) {
        if (typeof token?.sid === 'string') await revokeSession(token.sid);
      },
    },
  };
}
