import { z } from 'zod';
import { ZListSessionsInput, ZSessionId } from '@/lib/schemas/sessions';
import { closeSession } from '@/server/services/sessions/close-session';
import { getSession } from '@/server/services/sessions/get-session';
import { listSessions } from '@/server/services/sessions/list-sessions';
import { sessionNasOptions } from '@/server/services/sessions/session-nas-options';
import { ZClosedSession, ZSessionDetail, ZSessionList, ZSessionNasOption } from '../outputs/sessions';
import { parseSync } from '../parse-sync';
import { permissionProcedure, router } from '../trpc';

// Disconnect (CoA / API) is sessionControl.disconnect; closing by hand here only writes what a lost Stop would have.
export const sessionsRouter = router({
  list: permissionProcedure('sessions.view')
    .input(parseSync(ZListSessionsInput))
    .output(parseSync(ZSessionList))
    .query(({ ctx, input }) => listSessions(ctx.actor, input)),

  get: permissionProcedure('sessions.view')
    .input(parseSync(ZSessionId))
    .output(parseSync(ZSessionDetail))
    .query(({ ctx, input }) => getSession(ctx.actor, input.id)),

  // The NAS filter's choices: the NAS in scope.
  nasOptions: permissionProcedure('sessions.view')
    .output(parseSync(z.array(ZSessionNasOption)))
    .query(({ ctx }) => sessionNasOptions(ctx.actor)),

  close: permissionProcedure('sessions.disconnect')
    .input(parseSync(ZSessionId))
    .output(parseSync(ZClosedSession))
    .mutation(({ ctx, input }) => closeSession(ctx.actor, input.id)),
});
