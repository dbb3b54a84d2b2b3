import { ZNsLookupInput } from '@/lib/schemas/nslookup';
import { runNsLookup } from '@/server/services/nas/nslookup';
import { ZNsLookupResult } from '../outputs/nslookup';
import { parseSync } from '../parse-sync';
import { permissionProcedure, router } from '../trpc';

export const diagnosticsRouter = router({
  // A name looked up through the router and from the panel, side by side; audited like a change.
  nslookup: permissionProcedure('nas.diagnose')
    .input(parseSync(ZNsLookupInput))
    .output(parseSync(ZNsLookupResult))
    .mutation(({ ctx, input }) => runNsLookup(ctx.actor, input)),
});
