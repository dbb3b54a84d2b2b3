import { z } from 'zod';
import { RATE_UNITS, toKbps, type RateUnit } from '@/lib/rates';
import { PG_INT_MAX, singleLine, zId } from './common';

/**
 * The plan form's one schema, used by the dialog and by the procedures. The form types each rate as a number
 * and a unit (k / M / G bit/s); the schema's output is what plans store: kbit/s. Every message starts with the
 * field's label, and every issue sits on the input it is about.
 */

// WISPr-Bandwidth-Max-Up / -Down carry bit/s in 32 bits: a faster plan could not be sent to a generic BNG.
export const MAX_RATE_KBPS = 4_294_967;
const MAX_BURST_TIME_S = 3600;

/** A number typed into a text input (or sent as one); '' is "not set". */
const numberText = (label: string, required = false) =>
  z
    .union([z.string(), z.number()], { error: `${label} must be a number` })
    .nullish()
    .transform((v, ctx): number | null => {
      const s = v === null || v === undefined ? '' : String(v).trim();
      if (s === '') {
        if (required) ctx.addIssue({ code: 'custom', message: `${label} is required` });
        return null;
      }
      if (!/^\d{1,12}(\.\d{1,6})?$/.test(s)) {
        ctx.addIssue({ code: 'custom', message: `${label} must be a number such as 10 or 1.5` });
        return z.NEVER;
      }
      return Number(s);
    });

const unit = (label: string) => z.enum(RATE_UNITS, { error: `${label} unit must be k, M or G (bit/s)` }).default('M');

/** Whole seconds within a range, or not set. */
const seconds = (label: string, min: number, max: number) =>
  numberText(label).refine(
    (n) => n === null || (Number.isInteger(n) && n >= min && n <= max),
    `${label} must be a whole number of seconds between ${min} and ${max}`,
  );

/** RADIUS string attributes hold at most 253 octets (UTF-8), not characters. */
const attributeText = (label: string) =>
  singleLine(label, 253)
    .default('')
    .refine((s) => new TextEncoder().encode(s).length <= 253, `${label} must be at most 253 bytes (a RADIUS attribute's limit)`);

const planFields = {
  name: singleLine('Name', 64).min(1, 'Name is required'),
  downloadRate: numberText('Download rate', true),
  downloadUnit: unit('Download rate'),
  uploadRate: numberText('Upload rate', true),
  uploadUnit: unit('Upload rate'),
  burstDownloadRate: numberText('Burst download rate'),
  burstDownloadUnit: unit('Burst download rate'),
  burstUploadRate: numberText('Burst upload rate'),
  burstUploadUnit: unit('Burst upload rate'),
  burstThresholdDownloadRate: numberText('Burst threshold download'),
  burstThresholdDownloadUnit: unit('Burst threshold download'),
  burstThresholdUploadRate: numberText('Burst threshold upload'),
  burstThresholdUploadUnit: unit('Burst threshold upload'),
  burstTimeS: seconds('Burst time', 1, MAX_BURST_TIME_S),
  // The class-map / policy name a generic BNG applies: it must exist on the BNG, or the BNG ignores it.
  filterId: attributeText('Filter-Id'),
  defaultNasId: zId('Default NAS')
    .nullish()
    .transform((v) => v ?? null),
  framedPool: attributeText('Framed-Pool'),
  sessionTimeoutS: seconds('Session timeout', 60, 31_536_000),
  interimIntervalS: seconds('Interim interval', 60, 86_400),
  resellerIds: z
    .array(zId('Reseller'), { error: 'Resellers must be a list of reseller ids' })
    .max(1000, 'Resellers: at most 1000')
    .default([])
    .transform((ids) => [...new Set(ids)]),
};

type RawPlan = z.output<z.ZodObject<typeof planFields>>;

/** What plans store (kbit/s, seconds), and who may offer the plan. */
export type PlanValues = {
  name: string;
  downloadKbps: number;
  uploadKbps: number;
  burstDownloadKbps: number | null;
  burstUploadKbps: number | null;
  burstThresholdDownloadKbps: number | null;
  burstThresholdUploadKbps: number | null;
  burstTimeS: number | null;
  filterId: string;
  defaultNasId: number | null;
  framedPool: string;
  sessionTimeoutS: number | null;
  interimIntervalS: number | null;
  resellerIds: number[];
};

const RATE_FIELDS = {
  download: { rate: 'downloadRate', unit: 'downloadUnit', label: 'Download rate' },
  upload: { rate: 'uploadRate', unit: 'uploadUnit', label: 'Upload rate' },
  burstDownload: { rate: 'burstDownloadRate', unit: 'burstDownloadUnit', label: 'Burst download rate' },
  burstUpload: { rate: 'burstUploadRate', unit: 'burstUploadUnit', label: 'Burst upload rate' },
  thresholdDownload: { rate: 'burstThresholdDownloadRate', unit: 'burstThresholdDownloadUnit', label: 'Burst threshold download' },
  thresholdUpload: { rate: 'burstThresholdUploadRate', unit: 'burstThresholdUploadUnit', label: 'Burst threshold upload' },
} as const;
type RateKey = keyof typeof RATE_FIELDS;

const BURST_KEYS: RateKey[] = ['burstDownload', 'burstUpload', 'thresholdDownload', 'thresholdUpload'];

/**
 * Rates to kbit/s, and the rules MikroTik needs for burst: all of it or none, burst above the rate (or it never
 * bursts), threshold at most the rate (or it bursts for good).
 */
function toPlanValues(v: RawPlan, ctx: z.RefinementCtx): PlanValues {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const kbps = {} as Record<RateKey, number | null>;
  for (const [key, f] of Object.entries(RATE_FIELDS) as [RateKey, (typeof RATE_FIELDS)[RateKey]][]) {
    const value = v[f.rate];
    kbps[key] = null;
    if (value === null) continue;
    const k = toKbps(value, v[f.unit] as RateUnit);
    if (!Number.isInteger(k)) issue(f.rate, `${f.label} must be a whole number of kbit/s (${value} ${v[f.unit]}bit/s is not)`);
    else if (k < 1) issue(f.rate, `${f.label} must be more than 0`);
    else if (k > MAX_RATE_KBPS)
      issue(f.rate, `${f.label} must be at most ${MAX_RATE_KBPS} kbit/s (4.29 Gbit/s, the most RADIUS rate attributes carry)`);
    else kbps[key] = k;
  }
  const burstSet = BURST_KEYS.some((k) => v[RATE_FIELDS[k].rate] !== null) || v.burstTimeS !== null;
  if (burstSet) {
    for (const k of BURST_KEYS) {
      if (v[RATE_FIELDS[k].rate] === null)
        issue(RATE_FIELDS[k].rate, `${RATE_FIELDS[k].label} is required when burst is set (all burst fields or none)`);
    }
    if (v.burstTimeS === null) issue('burstTimeS', 'Burst time is required when burst is set (all burst fields or none)');
    const atLeast = (burst: RateKey, rate: RateKey, word: string) => {
      const b = kbps[burst];
      const r = kbps[rate];
      if (b !== null && r !== null && b < r)
        issue(RATE_FIELDS[burst].rate, `${RATE_FIELDS[burst].label} must be at least the ${word} rate (${r} kbit/s)`);
    };
    const atMost = (threshold: RateKey, rate: RateKey, word: string) => {
      const t = kbps[threshold];
      const r = kbps[rate];
      if (t !== null && r !== null && t > r)
        issue(RATE_FIELDS[threshold].rate, `${RATE_FIELDS[threshold].label} must be at most the ${word} rate (${r} kbit/s)`);
    };
    atLeast('burstDownload', 'download', 'download');
    atLeast('burstUpload', 'upload', 'upload');
    atMost('thresholdDownload', 'download', 'download');
    atMost('thresholdUpload', 'upload', 'upload');
  }
  return {
    name: v.name,
    downloadKbps: kbps.download ?? 0,
    uploadKbps: kbps.upload ?? 0,
    burstDownloadKbps: kbps.burstDownload,
    burstUploadKbps: kbps.burstUpload,
    burstThresholdDownloadKbps: kbps.thresholdDownload,
    burstThresholdUploadKbps: kbps.thresholdUpload,
    burstTimeS: v.burstTimeS,
    filterId: v.filterId,
    defaultNasId: v.defaultNasId,
    framedPool: v.framedPool,
    sessionTimeoutS: v.sessionTimeoutS,
    interimIntervalS: v.interimIntervalS,
    resellerIds: v.resellerIds,
  };
}

export const ZCreatePlanInput = z.object(planFields).transform(toPlanValues);

export const ZUpdatePlanInput = z
  .object({ id: zId('Plan id'), ...planFields })
  .transform((v, ctx) => ({ id: v.id, ...toPlanValues(v, ctx) }));

export const ZPlanId = z.object({ id: zId('Plan id') });

/** The Framed-Pool choices of a NAS (its imported pools and its Subscriber Pools hint). */
export const ZPlanPoolChoicesInput = z.object({ nasId: zId('NAS') });

/** The plans a subscriber form may offer; an admin may ask what a given reseller may offer. */
export const ZPlanOptionsInput = z.object({ resellerId: zId('Reseller').nullish() }).default({});

export const ZListPlansInput = z.object({
  search: singleLine('Search', 128).default(''),
  limit: z.number().int().min(1).max(1000).default(200),
  offset: z.number().int().min(0).max(PG_INT_MAX).default(0),
});

export type CreatePlanInput = z.output<typeof ZCreatePlanInput>;
export type UpdatePlanInput = z.output<typeof ZUpdatePlanInput>;
export type ListPlansInput = z.output<typeof ZListPlansInput>;
export type PlanOptionsInput = z.output<typeof ZPlanOptionsInput>;
export type PlanFormValues = z.input<typeof ZCreatePlanInput>;
