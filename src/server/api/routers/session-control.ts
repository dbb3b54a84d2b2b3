import { ZControlSessionInput, ZPlanPushId, ZPlanPushTarget } from '@/lib/schemas/session-control';
import { countPlanPushSessions, getPlanPush, startPlanPush } from '@/server/services/sessions/plan-push';
import { changeSessionRate, disconnectSession } from '@/server/services/sessions/session-control';
import { ZControlOutcome, ZPlanPush, ZPlanPushCount } from '../outputs/session-control';
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

  // The live plan change in bulk: how many sessions, start it, follow it.
  planPushCount: permissionProcedure('sessions.disconnect')
    .input(parseSync(ZPlanPushTarget))
    .output(parseSync(ZPlanPushCount))
    .query(({ ctx, input }) => countPlanPushSessions(ctx.actor, input)),

  startPlanPush: permissionProcedure('sessions.disconnect')
    .input(parseSync(ZPlanPushTarget))
    .output(parseSync(ZPlanPush))
    .mutation(({ ctx, input }) => startPlanPush(ctx.actor, input)),

  planPush: permissionProcedure('sessions.disconnect')
    .input(parseSync(ZPlanPushId))
    .output(parseSync(ZPlanPush))
    .query(({ ctx, input }) => getPlanPush(ctx.actor, input.id)),
});
