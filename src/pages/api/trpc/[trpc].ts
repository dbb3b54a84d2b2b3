import { createNextApiHandler } from '@trpc/server/adapters/next';
import { contextOfCookies } from '@/server/api/context';
import { appRouter } from '@/server/api/root';

/**
 * The tRPC endpoint inside Next, for `next dev` and a bare `next start`. `npm start` runs
 * `scripts/panel-server.ts`, which answers `/api/trpc/…` itself (`src/server/api/node-handler.ts`) before
 * Next sees the request: same router, same context, without Next's routing per call.
 *
 * A Pages Router API route rather than an App Router route handler: Next hands it the Node request and
 * response as they are, where a route handler first builds a web Request, an AbortController and its
 * request stores (0.2-0.3 ms of a 4-5 ms list call, docs/BENCHMARKS.md).
 */
export default createNextApiHandler({
  router: appRouter,
  createContext: ({ req }) => contextOfCookies(req.cookies),
});
