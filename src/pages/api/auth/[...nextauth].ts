import type { NextApiRequest, NextApiResponse } from 'next';
import NextAuth from 'next-auth';
import { clientAddress } from '@/server/auth/client-address';
import { authOptions } from '@/server/auth/options';

/**
 * next-auth, as a Pages Router API route like the tRPC endpoint: only here does Next hand over the Node
 * request with its socket, whose peer address the sign-in throttle counts failures by (an App Router
 * handler sees headers only, and an X-Forwarded-For the client sent itself is kept there as it came).
 * Options are built per request so they read the validated environment at run time, not at build time.
 */
export default function auth(req: NextApiRequest, res: NextApiResponse) {
  return NextAuth(req, res, authOptions({ clientAddress: clientAddress(req) }));
}
