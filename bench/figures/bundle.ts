import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { result, type BenchResult } from '../lib/result';

// Strings that give away the main library in a minified chunk, to say what the kilobytes are.
const MARKERS: Record<string, RegExp> = {
  'react-dom': /__reactFiber|react-dom/,
  'next router': /__NEXT_DATA__|next-router|app-router/,
  zod: /_zod|ZodError/,
  'radix-ui': /radix/,
  'next-auth/react': /next-auth/,
  'tRPC + react-query': /trpc/,
  superjson: /SuperJSON|superjson/,
};

/**
 * Figure 7: the JavaScript a browser loads for /nas on first visit, from the build output: the root main
 * files every page loads (build-manifest.json) plus the client chunks of the /nas page and its layouts
 * (the route's client reference manifest, `entryJSFiles`). Each file gzipped on its own, sizes summed.
 */
export function measureBundle(nextDir: string): BenchResult[] {
  const build = JSON.parse(fs.readFileSync(path.join(nextDir, 'build-manifest.json'), 'utf8')) as { rootMainFiles: string[] };
  const manifestFile = path.join(nextDir, 'server/app/(admin)/nas/page_client-reference-manifest.js');
  const sandbox = { globalThis: {} as Record<string, unknown> };
  vm.runInNewContext(fs.readFileSync(manifestFile, 'utf8'), sandbox);
  const manifests = (sandbox.globalThis.__RSC_MANIFEST ?? {}) as Record<string, { entryJSFiles?: Record<string, string[]> }>;
  const page = manifests['/(admin)/nas/page'];
  if (!page?.entryJSFiles) throw new Error(`${manifestFile} has no entryJSFiles for /(admin)/nas/page`);
  const files = new Set(build.rootMainFiles);
  for (const chunks of Object.values(page.entryJSFiles)) for (const c of chunks) files.add(c);
  let raw = 0;
  let gz = 0;
  const chunks: string[] = [];
  for (const f of files) {
    const body = fs.readFileSync(path.join(nextDir, f));
    const size = zlib.gzipSync(body, { level: 9 }).length;
    raw += body.length;
    gz += size;
    const text = body.toString('utf8');
    const libs = Object.entries(MARKERS)
      .filter(([, re]) => re.test(text))
      .map(([name]) => name);
    const where = build.rootMainFiles.includes(f)
      ? 'every page'
      : Object.entries(page.entryJSFiles)
          .filter(([, cs]) => cs.includes(f))
          .map(([seg]) => seg.replace('[project]/', ''))[0];
    chunks.push(`${path.basename(f)} ${(size / 1000).toFixed(1)} kB (${[where, ...libs].join(', ')})`);
  }
  const kb = gz / 1000;
  return [
    result({
      id: 7,
      name: '/nas first-load JavaScript (gzip)',
      value: Math.round(kb * 10) / 10,
      unit: 'kB',
      target: 200,
      pass: kb <= 200,
      targetText: '≤ 200 kB',
      detail: {
        chunks,
        files: files.size,
        rawKb: Math.round(raw / 100) / 10,
        segments: Object.keys(page.entryJSFiles),
        gzip: 'level 9, each file on its own',
      },
    }),
  ];
}
