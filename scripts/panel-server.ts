/**
 * The panel's production HTTP server, which `npm start` runs (`scripts/start.ts`): Next serves the pages,
 * next-auth and the CSV routes as `next start` would, and every `/api/trpc/…` call goes straight to tRPC on
 * the Node request (`src/server/api/node-handler.ts`) without passing through Next's router. That route
 * is most of what the panel's browser traffic is, and Next's per-request work was about 40 % of its CPU
 * there (docs/BENCHMARKS.md, item 18). `PORT` and `HOST` as for `npm start`.
 */
import http from 'node:http';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '127.0.0.1';
// Next reads NODE_ENV when it loads; a production build is served only in production mode.
Object.assign(process.env, { NODE_ENV: 'production' });

async function main() {
  const { default: next } = await import('next');
  const app = next({ dev: false, dir: root, hostname: host, port });
  // Next's prepare (its manifests, then instrumentation.ts: migrations when needed, the background jobs)
  // and the tRPC router's modules load side by side.
  const [, trpc] = await Promise.all([app.prepare(), import('../src/server/api/node-handler')]);
  const handleNext = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    if (trpc.isTrpcRequest(req.url)) return trpc.trpcNodeHandler(req, res);
    handleNext(req, res).catch((e: unknown) => {
      console.error(`[nas-panel] ${req.method} ${req.url} failed:`, e);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  server.on('error', (e) => {
    console.error(`[nas-panel] cannot listen on ${host}:${port}: ${e.message}`);
    process.exit(1);
  });
  server.listen(port, host, () => console.log(`[nas-panel] ready on http://${host}:${port}`));
  const stop = () => {
    server.close();
    server.closeAllConnections();
    void app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  console.error(`[nas-panel] the panel server could not start: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
  process.exit(1);
});
