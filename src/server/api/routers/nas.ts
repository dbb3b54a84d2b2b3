import { z } from 'zod';
import { ZCreateNasInput, ZListNasInput, ZNasId, ZTestConnectionInput, ZTrustCertificateInput, ZUpdateNasInput } from '@/lib/schemas/nas';
import { createNas } from '@/server/services/nas/create-nas';
import { deleteNas } from '@/server/services/nas/delete-nas';
import { getNas, getNasHistory } from '@/server/services/nas/get-nas';
import { listNas } from '@/server/services/nas/list-nas';
import { ZRouterDiagnosticInput } from '@/lib/schemas/diagnostics';
import { runRouterDiagnostic } from '@/server/services/nas/router-diagnostics';
import { testConnection } from '@/server/services/nas/test-connection';
import { trustCertificate } from '@/server/services/nas/trust-certificate';
import { listUnknownDevices } from '@/server/services/nas/unknown-devices';
import { updateNas } from '@/server/services/nas/update-nas';
import { getPoolStatus, requestPoolImport } from '@/server/services/pools/pool-status';
import {
  ZDiagnosticResult,
  ZNasDetail,
  ZNasHistoryEntry,
  ZNasList,
  ZPoolStatus,
  ZTestConnectionResult,
  ZUnknownDevice,
} from '../outputs/nas';
import { parseSync } from '../parse-sync';
import { permissionProcedure, router } from '../trpc';

const ZId = z.object({ id: z.number() });

export const nasRouter = router({
  list: permissionProcedure('nas.view')
    .input(parseSync(ZListNasInput))
    .output(parseSync(ZNasList))
    .query(({ ctx, input }) => listNas(ctx.actor, input)),

  // Who sees every NAS may see what no NAS row claims (the RADIUS service's log of unknown sources).
  unknownDevices: permissionProcedure('nas.all')
    .output(parseSync(z.array(ZUnknownDevice)))
    .query(() => listUnknownDevices()),

  get: permissionProcedure('nas.view')
    .input(parseSync(ZNasId))
    .output(parseSync(ZNasDetail))
    .query(({ ctx, input }) => getNas(ctx.actor, input.id)),

  history: permissionProcedure('nas.view')
    .input(parseSync(ZNasId))
    .output(parseSync(z.array(ZNasHistoryEntry)))
    .query(({ ctx, input }) => getNasHistory(ctx.actor, input.id)),

  create: permissionProcedure('nas.create')
    .input(parseSync(ZCreateNasInput))
    .output(parseSync(ZId))
    .mutation(({ ctx, input }) => createNas(ctx.actor, input)),

  update: permissionProcedure('nas.edit')
    .input(parseSync(ZUpdateNasInput))
    .output(parseSync(ZId.extend({ changedFields: z.array(z.string()) })))
    .mutation(({ ctx, input }) => updateNas(ctx.actor, input)),

  delete: permissionProcedure('nas.delete')
    .input(parseSync(ZNasId))
    .output(parseSync(ZId))
    .mutation(({ ctx, input }) => deleteNas(ctx.actor, input.id)),

  pools: permissionProcedure('nas.view')
    .input(parseSync(ZNasId))
    .output(parseSync(ZPoolStatus))
    .query(({ ctx, input }) => getPoolStatus(ctx.actor, input.id)),

  // The Sync pools button: queue a full re-import.
  importPools: permissionProcedure('nas.edit')
    .input(parseSync(ZNasId))
    .output(parseSync(ZPoolStatus))
    .mutation(({ ctx, input }) => requestPoolImport(ctx.actor, input.id)),

  trustCertificate: permissionProcedure('nas.edit')
    .input(parseSync(ZTrustCertificateInput))
    .output(parseSync(ZId))
    .mutation(({ ctx, input }) => trustCertificate(ctx.actor, input)),
  testConnection: permissionProcedure('nas.edit')
    .input(parseSync(ZTestConnectionInput))
    .output(parseSync(ZTestConnectionResult))
    .mutation(({ ctx, input }) => testConnection(ctx.actor, input)),

  diagnostic: permissionProcedure('nas.diagnose')
    .input(parseSync(ZRouterDiagnosticInput))
    .output(parseSync(ZDiagnosticResult))
    .mutation(({ ctx, input }) => runRouterDiagnostic(ctx.actor, input)),
});
