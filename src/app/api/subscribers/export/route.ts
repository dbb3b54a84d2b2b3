import type { NextRequest } from 'next/server';
import { exportSubscribersCsv } from '@/server/services/subscribers/csv-export';
import { idParam, requestActor } from '../request-actor';

export const dynamic = 'force-dynamic';

/** GET the subscribers in scope as CSV (passwords never), `?nas_id=` as the list's NAS filter; streamed from a cursor. */
export async function GET(req: NextRequest): Promise<Response> {
  const actor = await requestActor(req, 'subscribers.view');
  if (actor instanceof Response) return actor;
  const nasId = idParam(req, 'nas_id');
  if (nasId === undefined) return Response.json({ error: 'nas_id must be a NAS id' }, { status: 400 });
  const chunks = exportSubscribersCsv(actor, { nasId });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    // Pulled as the client reads: a slow download holds the cursor, not the table.
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (e) {
        console.error('[subscriber export] failed', e instanceof Error ? e.message.split('\n')[0] : e);
        controller.error(new Error('export failed'));
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="subscribers-${day}${nasId ? `-nas-${nasId}` : ''}.csv"`,
      'cache-control': 'no-store',
    },
  });
}
