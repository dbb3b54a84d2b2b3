import { randomBytes } from 'node:crypto';
import type { NextRequest } from 'next/server';
import { describeInternalError } from '@/server/api/trpc';
import { DomainError, ForbiddenError, NotFoundError } from '@/server/errors';
import { CsvFormatError } from '@/server/services/subscribers/csv-parse';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_TEXT } from '@/server/services/subscribers/csv-read';
import { getSubscriberImport } from '@/server/services/subscribers/subscriber-import-queue';
import { uploadSubscriberImport } from '@/server/services/subscribers/subscriber-import-upload';
import { idParam, requestActor } from '../request-actor';

export const dynamic = 'force-dynamic';

/**
 * POST a subscriber CSV as the raw body (`Content-Type: text/csv`, `?name=<file name>`, an admin's
 * `?reseller_id=`): streamed into the staging table and checked (the dry run), never held whole. Answers the
 * import with its errors, or `{ error, line }` for a file that is not our CSV (then nothing was written).
 * Requiring text/csv, which a cross-site form cannot send without a CORS preflight, keeps other sites from
 * uploading with the user's cookie.
 */
export async function POST(req: NextRequest): Promise<Response> {
  const actor = await requestActor(req, 'subscribers.create');
  if (actor instanceof Response) return actor;
  if (!/^text\/csv\b/i.test(req.headers.get('content-type') ?? '')) {
    return Response.json({ error: 'send the file as the request body with Content-Type: text/csv' }, { status: 415 });
  }
  if (Number(req.headers.get('content-length') ?? 0) > MAX_UPLOAD_BYTES) {
    return Response.json(
      { error: `the file is larger than ${MAX_UPLOAD_TEXT}, the most one import takes: split it into several files`, line: null },
      { status: 413 },
    );
  }
  const resellerId = idParam(req, 'reseller_id');
  if (resellerId === undefined) return Response.json({ error: 'reseller_id must be a reseller id' }, { status: 400 });
  const fileName = req.nextUrl.searchParams.get('name') ?? '';
  try {
    const { id } = await uploadSubscriberImport(actor, { fileName, resellerId, body: streamChunks(req.body) });
    return Response.json({ import: await getSubscriberImport(actor, id) });
  } catch (e) {
    if (e instanceof CsvFormatError)
      return Response.json({ error: e.message, line: e.line }, { status: e.line === null && /larger/.test(e.message) ? 413 : 400 });
    if (e instanceof DomainError) {
      const status = e instanceof NotFoundError ? 404 : e instanceof ForbiddenError ? 403 : 400;
      return Response.json({ error: e.message }, { status });
    }
    const ref = randomBytes(4).toString('hex');
    console.error(`[subscriber import] error ${ref}: ${describeInternalError(e)}`);
    return Response.json(
      { error: `Internal error ${ref}: the upload failed; the server log has the details under this id` },
      { status: 500 },
    );
  }
}

// A client that stops sending holds a transaction open: it gets this long between two chunks.
const STALL_MS = 30_000;

/** The body's chunks as they arrive; an absent body is an empty file; a stalled upload is refused. */
async function* streamChunks(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new CsvFormatError(null, `the upload stalled (nothing received for ${STALL_MS / 1000} s): try again`)),
          STALL_MS,
        );
      });
      const { done, value } = await Promise.race([reader.read(), stalled]).finally(() => clearTimeout(timer));
      if (done) return;
      yield value;
    }
  } finally {
    // A refused file stops the upload here: the rest is not read.
    await reader.cancel().catch(() => {});
  }
}
