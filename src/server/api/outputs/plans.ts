import { z } from 'zod';

/**
 * What the browser may see of plans: explicit whitelists, applied to every plans procedure's output at run
 * time. The services type their results with these (type-only imports).
 */
export const ZPlanItem = z.object({
  id: z.number(),
  name: z.string(),
  downloadKbps: z.number(),
  uploadKbps: z.number(),
  burstDownloadKbps: z.number().nullable(),
  burstUploadKbps: z.number().nullable(),
  burstThresholdDownloadKbps: z.number().nullable(),
  burstThresholdUploadKbps: z.number().nullable(),
  burstTimeS: z.number().nullable(),
  filterId: z.string(),
  framedPool: z.string(),
  defaultNas: z.object({ id: z.number(), name: z.string() }).nullable(),
  sessionTimeoutS: z.number().nullable(),
  interimIntervalS: z.number().nullable(),
  resellers: z.array(z.object({ id: z.number(), name: z.string() })),
  subscriberCount: z.number(),
  updatedAt: z.string(),
});

export const ZPlanList = z.object({ items: z.array(ZPlanItem), total: z.number() });

/** One plan a subscriber form may offer: its default NAS is preselected with it. */
export const ZPlanOption = z.object({
  id: z.number(),
  name: z.string(),
  /** "50 Mbit/s down / 10 Mbit/s up". */
  rates: z.string(),
  /** Null when the plan has none, or when it is a NAS the subscriber's reseller may not use. */
  defaultNasId: z.number().nullable(),
});

/** Framed-Pool choices of a NAS: imported from the router, named in its Subscriber Pools hint, or both. */
export const ZPoolChoices = z.object({
  nasId: z.number(),
  nasName: z.string(),
  choices: z.array(z.object({ name: z.string(), imported: z.boolean(), hinted: z.boolean() })),
});

/** What the plan dialog's selects list. */
export const ZPlanFormOptions = z.object({
  nas: z.array(z.object({ id: z.number(), name: z.string(), ipAddress: z.string(), type: z.enum(['mikrotik', 'generic']) })),
  resellers: z.array(z.object({ id: z.number(), name: z.string() })),
});

export type PlanItem = z.infer<typeof ZPlanItem>;
export type PlanList = z.infer<typeof ZPlanList>;
export type PlanOption = z.infer<typeof ZPlanOption>;
export type PoolChoices = z.infer<typeof ZPoolChoices>;
export type PlanFormOptions = z.infer<typeof ZPlanFormOptions>;
