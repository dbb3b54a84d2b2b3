import { z } from 'zod';
import { ZCreateNasInput, ZListNasInput, ZNasId, ZUpdateNasInput } from '@/lib/schemas/nas';
import { createNas } from '@/server/services/nas/create-nas';
import { deleteNas } from '@/server/services/nas/delete-nas';
import { getNas, getNasHistory } from '@/server/services/nas/get-nas';
import { listNas } from '@/server/services/nas/list-nas';
import { updateNas } from '@/server/services/nas/update-nas';
import { ZNasDetail, ZNasHistoryEntry, ZNasListItem } from '@/server/services/nas/nas-view';
import { permissionProcedure, router } from '../trpc';

const ZId = z.object({ id: z.number() });

export const nasRouter = router({
  list: permissionProcedure('nas.view')
    .input(ZListNasInput)
    .output(z.object({ items: z.array(ZNasListItem), total: z.number() }))
    .query(({ ctx, input }) => listNas(ctx.actor, input)),

  get: permissionProcedure('nas.view')
    .input(ZNasId)
    .output(ZNasDetail)
    .query(({ ctx, input }) => getNas(ctx.actor, input.id)),

  history: permissionProcedure('nas.view')
    .input(ZNasId)
    .output(z.array(ZNasHistoryEntry))
    .query(({ ctx, input }) => getNasHistory(ctx.actor, input.id)),

  create: permissionProcedure('nas.create')
    .input(ZCreateNasInput)
    .output(ZId)
    .mutation(({ ctx, input }) => createNas(ctx.actor, input)),

  update: permissionProcedure('nas.edit')
    .input(ZUpdateNasInput)
    .output(ZId.extend({ changedFields: z.array(z.string()) }))
    .mutation(({ ctx, input }) => updateNas(ctx.actor, input)),

  delete: permissionProcedure('nas.delete')
    .input(ZNasId)
    .output(ZId)
    .mutation(({ ctx, input }) => deleteNas(ctx.actor, input.id)),
});
