import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { contextOfCookies, parseCookieHeader } from './context';
import { appRouter } from './root';

export const TRPC_PATH = '/api/trpc/';

/** Next's default body limit for API routes, kept when tRPC is served without Next (no input comes near it). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The tRPC endpoint on a plain Node request and response, for the production server
 * (`scripts/panel-server.ts`), which hands every `/api/trpc/…` request here before Next sees it. Next's
 * router, its API-route wrapper and their request stores were about 40 % of the panel's CPU per list call:
 * 50 clients got 560-630 req/s through Next and 830-960 req/s here (docs/BENCHMARKS.md, item 18). The
 * procedures, their permission middleware and the context are the same as behind Next's API route
 * (`src/pages/api/trpc/[trpc].ts`, which `next dev` and a bare `next start` still serve).
 */
export const trpcNodeHandler: (req: IncomingMessage, res: ServerResponse) => void = createHTTPHandler({
  router: appRouter,
  basePath: TRPC_PATH,
  maxBodySize: MAX_BODY_BYTES,
  createContext: ({ req }) => contextOfCookies(parseCookieHeader(req.headers.cookie)),
});

export function isTrpcRequest(url: string | undefined): boolean {
  return url !== undefined && url.startsWith(TRPC_PATH);
}
