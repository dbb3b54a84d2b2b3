import { ZNasId } from '@/lib/schemas/nas';
import { getNasDashboard } from '@/server/services/nas/nas-dashboard';
import { ZNasDashboard } from '../outputs/nas-dashboard';
import { parseSync } from '../parse-sync';
import { permissionProcedure, router } from '../trpc';

export const nasDashboardRouter = router({
  // The NAS detail page's charts, refreshed every ~30 s: one statement, scoped like the NAS.
  get: permissionProcedure('nas.view')
    .input(parseSync(ZNasId))
    .output(parseSync(ZNasDashboard))
    .query(({ ctx, input }) => getNasDashboard(ctx.actor, input.id)),
});
