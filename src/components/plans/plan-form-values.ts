import type { Resolver } from 'react-hook-form';
import { schemaResolver } from '@/components/ui/schema-resolver';
import { fromKbps } from '@/lib/rates';
import { ZCreatePlanInput, ZUpdatePlanInput, type CreatePlanInput, type PlanFormValues, type UpdatePlanInput } from '@/lib/schemas/plans';
import type { RouterOutputs } from '@/trpc/types';

export type PlanRow = RouterOutputs['plans']['list']['items'][number];

/** What the inputs hold: the schema's input (numbers as typed text), so the schema is the one place that parses. */
export type PlanFormInput = PlanFormValues;
export type PlanFormOutput = CreatePlanInput | UpdatePlanInput;

export const NEW_PLAN_FORM: PlanFormInput = {
  name: '',
  downloadRate: '',
  downloadUnit: 'M',
  uploadRate: '',
  uploadUnit: 'M',
  burstDownloadRate: '',
  burstDownloadUnit: 'M',
  burstUploadRate: '',
  burstUploadUnit: 'M',
  burstThresholdDownloadRate: '',
  burstThresholdDownloadUnit: 'M',
  burstThresholdUploadRate: '',
  burstThresholdUploadUnit: 'M',
  burstTimeS: '',
  filterId: '',
  defaultNasId: null,
  framedPool: '',
  sessionTimeoutS: '',
  // Five minutes: the usual interim interval, so Sessions and byte counters stay current.
  interimIntervalS: '300',
  resellerIds: [],
};

/** A rate's two inputs from stored kbit/s, in the largest unit that states it exactly. */
function rate(kbps: number | null) {
  if (kbps === null) return { value: '', unit: 'M' as const };
  const r = fromKbps(kbps);
  return { value: String(r.value), unit: r.unit };
}

const text = (n: number | null) => (n === null ? '' : String(n));

/** Edit starts from the stored plan. */
export function planFormValues(p: PlanRow): PlanFormInput {
  const down = rate(p.downloadKbps);
  const up = rate(p.uploadKbps);
  const bd = rate(p.burstDownloadKbps);
  const bu = rate(p.burstUploadKbps);
  const td = rate(p.burstThresholdDownloadKbps);
  const tu = rate(p.burstThresholdUploadKbps);
  return {
    name: p.name,
    downloadRate: down.value,
    downloadUnit: down.unit,
    uploadRate: up.value,
    uploadUnit: up.unit,
    burstDownloadRate: bd.value,
    burstDownloadUnit: bd.unit,
    burstUploadRate: bu.value,
    burstUploadUnit: bu.unit,
    burstThresholdDownloadRate: td.value,
    burstThresholdDownloadUnit: td.unit,
    burstThresholdUploadRate: tu.value,
    burstThresholdUploadUnit: tu.unit,
    burstTimeS: text(p.burstTimeS),
    filterId: p.filterId,
    defaultNasId: p.defaultNas?.id ?? null,
    framedPool: p.framedPool,
    sessionTimeoutS: text(p.sessionTimeoutS),
    interimIntervalS: text(p.interimIntervalS),
    resellerIds: p.resellers.map((r) => r.id),
  };
}

/** The form through the procedure's own schema: what Save sends is what the server parses. */
export function planFormResolver(planId?: number): Resolver<PlanFormInput, unknown, PlanFormOutput> {
  if (planId === undefined) return schemaResolver(ZCreatePlanInput, (v: PlanFormInput) => v);
  return schemaResolver(ZUpdatePlanInput, (v: PlanFormInput) => ({ ...v, id: planId }));
}
