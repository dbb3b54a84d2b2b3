import { z } from 'zod';

/**
 * What Live Torch sends the browser, event by event: the whitelist every event passes through before it leaves
 * (torch.ts router). Rates are bit/s and packets/s as the router measured them on the interface: rx is what
 * the router receives on it, tx what it sends out of it.
 */
export const ZTorchFlow = z.object({
  srcAddress: z.string(),
  dstAddress: z.string(),
  srcPort: z.string(),
  dstPort: z.string(),
  protocol: z.string(),
  rxBps: z.number(),
  txBps: z.number(),
  rxPps: z.number(),
  txPps: z.number(),
});

export const ZTorchEvent = z.discriminatedUnion('type', [
  /** Connected, the interface found on the router, `/tool/torch` sent. */
  z.object({
    type: z.literal('started'),
    nasName: z.string(),
    interface: z.string(),
    /** The address filter, when the torch is narrowed to one (a session found by its Framed-IP). */
    filter: z.string(),
    /** When the panel stops it by itself (epoch ms). */
    endsAt: z.number(),
  }),
  /** One refresh (about every second): the busiest flows and the totals of all of them. */
  z.object({
    type: z.literal('frame'),
    at: z.number(),
    flows: z.array(ZTorchFlow),
    flowCount: z.number(),
    rxBps: z.number(),
    txBps: z.number(),
    truncated: z.boolean(),
  }),
  /** The last event: why the torch ended, in words for the page. */
  z.object({
    type: z.literal('stopped'),
    cause: z.enum(['time-limit', 'scope', 'session-ended', 'router-ended', 'router-error']),
    reason: z.string(),
  }),
]);

export type TorchEvent = z.infer<typeof ZTorchEvent>;
export type TorchStopCause = Extract<TorchEvent, { type: 'stopped' }>['cause'];
