import { TRPCError } from '@trpc/server';
import { ZTorchInterfaceInput, ZTorchSessionInput } from '@/lib/schemas/torch';
import { DomainError } from '@/server/errors';
import { TORCH_PERMISSIONS } from '@/server/services/torch/torch-target';
import { watchInterfaceTorch, watchSessionTorch } from '@/server/services/torch/watch-torch';
import { ZTorchEvent, type TorchEvent } from '../outputs/torch';
import { parseSync } from '../parse-sync';
import { permissionProcedure, router, trpcCodeOf } from '../trpc';

/**
 * A subscription's generator runs after the middleware returned, so its domain errors (not found, a torch
 * already running) are translated here; they must not reach the browser as INTERNAL_SERVER_ERROR, which
 * httpSubscriptionLink retries forever. Every event leaves through the output whitelist.
 */
async function* delivered(events: AsyncGenerator<TorchEvent>): AsyncGenerator<TorchEvent> {
  try {
    for await (const event of events) yield ZTorchEvent.parse(event);
  } catch (e) {
    if (e instanceof DomainError) throw new TRPCError({ code: trpcCodeOf(e), message: e.message, cause: e });
    throw e;
  }
}

// Live Torch over server-sent events (httpSubscriptionLink): the browser closing the stream aborts `signal`,
// which ends the torch on the router.
export const torchRouter = router({
  session: permissionProcedure(TORCH_PERMISSIONS.session)
    .input(parseSync(ZTorchSessionInput))
    .subscription(({ ctx, input, signal }) => delivered(watchSessionTorch(ctx.actor, input, { signal }))),

  interface: permissionProcedure(TORCH_PERMISSIONS.interface)
    .input(parseSync(ZTorchInterfaceInput))
    .subscription(({ ctx, input, signal }) => delivered(watchInterfaceTorch(ctx.actor, input, { signal }))),
});
