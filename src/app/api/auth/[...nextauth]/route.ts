import NextAuth from 'next-auth';
import { authOptions } from '@/server/auth/options';

// Built per request so options read the validated environment at run time, not at build time.
function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(authOptions())(req, ctx);
}

export { handler as GET, handler as POST };
