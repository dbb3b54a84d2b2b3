import { z } from 'zod';
import { ZCreateSubscriberInput, ZListSubscribersInput, ZSubscriberId, ZUpdateSubscriberInput } from '@/lib/schemas/subscribers';
import { createSubscriber } from '@/server/services/subscribers/create-subscriber';
import { deleteSubscriber } from '@/server/services/subscribers/delete-subscriber';
import { getSubscriber } from '@/server/services/subscribers/get-subscriber';
import { listSubscribers } from '@/server/services/subscribers/list-subscribers';
import { subscriberFormOptions } from '@/server/services/subscribers/subscriber-form-options';
import { updateSubscriber } from '@/server/services/subscribers/update-subscriber';
import { ZSubscriberDetail, ZSubscriberFormOptions, ZSubscriberList } from '../outputs/subscribers';
import { parseSync } from '../parse-sync';
import { permissionProcedure, router } from '../trpc';

const ZId = z.object({ id: z.number() });

// Passwords are generated in the browser (crypto.getRandomValues, src/lib/schemas/subscribers.ts) and shown
// once from the form itself: no procedure ever returns one.
export const subscribersRouter = router({
  list: permissionProcedure('subscribers.view')
    .input(parseSync(ZListSubscribersInput))
    .output(parseSync(ZSubscriberList))
    .query(({ ctx, input }) => listSubscribers(ctx.actor, input)),

  get: permissionProcedure('subscribers.view')
    .input(parseSync(ZSubscriberId))
    .output(parseSync(ZSubscriberDetail))
    .query(({ ctx, input }) => getSubscriber(ctx.actor, input.id)),

  // The form's selects: only what the actor may choose (the server judges each save again).
  formOptions: permissionProcedure('subscribers.view')
    .output(parseSync(ZSubscriberFormOptions))
    .query(({ ctx }) => subscriberFormOptions(ctx.actor)),

  create: permissionProcedure('subscribers.create')
    .input(parseSync(ZCreateSubscriberInput))
    .output(parseSync(ZId))
    .mutation(({ ctx, input }) => createSubscriber(ctx.actor, input)),

  update: permissionProcedure('subscribers.edit')
    .input(parseSync(ZUpdateSubscriberInput))
    .output(parseSync(ZId.extend({ changedFields: z.array(z.string()) })))
    .mutation(({ ctx, input }) => updateSubscriber(ctx.actor, input)),

  delete: permissionProcedure('subscribers.delete')
    .input(parseSync(ZSubscriberId))
    .output(parseSync(ZId))
    .mutation(({ ctx, input }) => deleteSubscriber(ctx.actor, input.id)),
});
