import { createCallerFactory, router } from './trpc';
import { diagnosticsRouter } from './routers/diagnostics';
import { meRouter } from './routers/me';
import { nasRouter } from './routers/nas';
import { nasDashboardRouter } from './routers/nas-dashboard';
import { plansRouter } from './routers/plans';
import { resellersRouter } from './routers/resellers';
import { sessionControlRouter } from './routers/session-control';
import { sessionsRouter } from './routers/sessions';
import { subscriberImportsRouter } from './routers/subscriber-imports';
import { subscribersRouter } from './routers/subscribers';
import { torchRouter } from './routers/torch';
import { usersRouter } from './routers/users';

export const appRouter = router({
  diagnostics: diagnosticsRouter,
  me: meRouter,
  nas: nasRouter,
  nasDashboard: nasDashboardRouter,
  plans: plansRouter,
  resellers: resellersRouter,
  sessionControl: sessionControlRouter,
  sessions: sessionsRouter,
  subscriberImports: subscriberImportsRouter,
  subscribers: subscribersRouter,
  torch: torchRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
