import { z } from 'zod';

/** The NAS dashboard: every series of the detail page's charts, from one statement (services/nas/nas-dashboard.ts). */
export const ZNasDashboard = z.object({
  nasId: z.number(),
  /** Open sessions now (the exact count radacct's trigger keeps). */
  currentSessions: z.number(),
  sessions: z.object({
    /** The oldest sample kept for this NAS: the chart cannot start before it. Null: no sample yet. */
    samplingSince: z.string().nullable(),
    sampleIntervalMs: z.number(),
    /** Open sessions at each sample of the last 24 h, oldest first. */
    points: z.array(z.object({ at: z.string(), open: z.number() })),
  }),
  /** Per imported pool: its size and the addresses in use now. Empty: no pool imported. */
  pools: z.array(z.object({ name: z.string(), size: z.number(), inUse: z.number() })),
  radius: z.object({
    /** The newest hour the RADIUS service counted anything from this NAS; null: it has never seen it. */
    lastHour: z.string().nullable(),
    /** The last 24 hours, oldest first, hours without packets as zeros. */
    hours: z.array(
      z.object({
        hour: z.string(),
        requests: z.number(),
        accepts: z.number(),
        rejects: z.number(),
        accounting: z.number(),
        secretMismatches: z.number(),
      }),
    ),
  }),
});

export type NasDashboard = z.infer<typeof ZNasDashboard>;
