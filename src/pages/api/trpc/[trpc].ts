import { createNextApiHandler } from '@trpc/server/adapters/next';
import { appRouter } from '@/server/api/root';
import { actorFromCookies } from '@/server/auth/session-cookie';

/**
 * The tRPC endpoint, as a Pages Router API route while every page is in the App Router: Next hands this
 * handler its Node request and response as they are, where an App Router route handler first builds a
 * web Request, an AbortController and its request stores, and streams the Response back. Measured with
 * two panels side by side, this saved 0.2-0.3 ms of the 4-5 ms of a list call (docs/BENCHMARKS.md).
 */
export default createNextApiHandler({
  router: appRouter,
  createContext: async ({ req }) => ({ actor: await actorFromCookies(req.cookies) }),
});
