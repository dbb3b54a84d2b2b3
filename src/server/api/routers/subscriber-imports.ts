import { z } from 'zod';
import { ZListSubscriberImportsInput, ZSubscriberImportId } from '@/lib/schemas/subscriber-imports';
import {
  discardSubscriberImport,
  getSubscriberImport,
  listSubscriberImports,
  startSubscriberImport,
} from '@/server/services/subscribers/subscriber-import-queue';
import { ZSubscriberImport } from '../outputs/subscriber-imports';
import { parseSync } from '../parse-sync';
import { permissionProcedure, router } from '../trpc';

/** CSV imports: the upload and dry run are a route handler (a streamed body); these read, start and discard them. */
export const subscriberImportsRouter = router({
  get: permissionProcedure('subscribers.create')
    .input(parseSync(ZSubscriberImportId))
    .output(parseSync(ZSubscriberImport))
    .query(({ ctx, input }) => getSubscriberImport(ctx.actor, input.id)),

  list: permissionProcedure('subscribers.create')
    .input(parseSync(ZListSubscriberImportsInput))
    .output(parseSync(z.array(ZSubscriberImport)))
    .query(({ ctx, input }) => listSubscriberImports(ctx.actor, input.limit)),

  start: permissionProcedure('subscribers.create')
    .input(parseSync(ZSubscriberImportId))
    .output(parseSync(ZSubscriberImport))
    .mutation(({ ctx, input }) => startSubscriberImport(ctx.actor, input.id)),

  discard: permissionProcedure('subscribers.create')
    .input(parseSync(ZSubscriberImportId))
    .output(parseSync(z.object({ ok: z.literal(true) })))
    .mutation(async ({ ctx, input }) => {
      await discardSubscriberImport(ctx.actor, input.id);
      return { ok: true as const };
    }),
});
