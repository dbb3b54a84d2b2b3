import { ZControlSessionInput } from '@/lib/schemas/session-control';
import { changeSessionRate, disconnectSession } from '@/server/services/sessions/session-control';
import { ZControlOutcome } from '../outputs/session-control';
import { parseSync } from '../parse-sync';
import { permissionProcedure, router } from '../trpc';

export const sessionControlRouter = router({
  disconnect: permissionProcedure('sessions.disconnect')
    .input(parseSync(ZControlSessionInput))
    .output(parseSync(ZControlOutcome))
    .mutation(({ ctx, input }) => disconnectSession(ctx.actor, input.id)),

  changeRate: permissionProcedure('sessions.disconnect')
    .input(parseSync(ZControlSessionInput))
    .output(parseSync(ZControlOutcome))
    .mutation(({ ctx, input }) => changeSessionRate(ctx.actor, input.id)),
});
