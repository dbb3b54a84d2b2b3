import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { sql } from 'drizzle-orm';
import { env } from '@/env';
import { db } from '@/server/db/client';
import { users } from '@/server/db/schema';
import { verifyPassword } from './password';

// A fixed hash to compare against when the e-mail is unknown, so both paths take the same time.
const DUMMY_HASH = '$2b$12$C6UzMDM.H6dfI/f/IKcEeO9hL8bN1VhSbbVYlB5hW7p7p3FqkJr5e';

export function authOptions(): NextAuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: env().SESSION_MAX_AGE_S },
    jwt: { maxAge: env().SESSION_MAX_AGE_S },
    pages: { signIn: '/signin' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials) {
          const email = credentials?.email?.trim() ?? '';
          const password = credentials?.password ?? '';
          if (!email || !password) return null;
          const [user] = await db()
            .select({ id: users.id, email: users.email, name: users.name, hash: users.passwordHash, isActive: users.isActive })
            .from(users)
            .where(sql`lower(${users.email}) = lower(${email})`);
          const ok = await verifyPassword(password, user?.hash ?? DUMMY_HASH);
          if (!user || !ok || !user.isActive) return null;
          return { id: String(user.id), email: user.email, name: user.name };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.uid = Number(user.id);
        return token;
      },
      session({ session, token }) {
        if (session.user) (session.user as { id?: number }).id = token.uid as number;
        return session;
      },
    },
  };
}
