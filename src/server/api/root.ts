import { createCallerFactory, router } from './trpc';
import { meRouter } from './routers/me';
import { nasRouter } from './routers/nas';
import { plansRouter } from './routers/plans';
import { resellersRouter } from './routers/resellers';
import { sessionControlRouter } from './routers/session-control';
import { sessionsRouter } from './routers/sessions';
import { subscriberImportsRouter } from './routers/subscriber-imports';
import { subscribersRouter } from './routers/subscribers';
import { usersRouter } from './routers/users';

export const appRouter = router({
  me: meRouter,
  nas: nasRouter,
  plans: plansRouter,
  resellers: resellersRouter,
  sessionControl: sessionControlRouter,
  sessions: sessionsRouter,
  subscriberImports: subscriberImportsRouter,
  subscribers: subscribersRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
