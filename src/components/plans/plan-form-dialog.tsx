'use client';

import { useController, useFormContext, useWatch } from 'react-hook-form';
import { Button, Spinner } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { Form, FormStrayErrors, formFields, setServerErrors, useSchemaForm } from '@/components/ui/form';
import { RATE_UNITS } from '@/lib/rates';
import { api } from '@/trpc/react';
import { NEW_PLAN_FORM, planFormResolver, planFormValues, type PlanFormInput, type PlanFormOutput, type PlanRow } from './plan-form-values';
import { PlanReplyPreview } from './plan-reply-preview';

const { TextField, SelectField } = formFields<PlanFormInput>();

/** Add (no `plan`) or edit a plan; the preview beside the form shows what RADIUS will send. */
export function PlanFormDialog({
  open,
  onOpenChange,
  plan,
  onUpdated,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  plan?: PlanRow;
  /** After an edit, with the fields that changed (the page offers to apply a new rate to online sessions). */
  onUpdated?: (changedFields: string[]) => void;
}) {
  const form = useSchemaForm<PlanFormInput, PlanFormOutput>({
    resolver: planFormResolver(plan?.id),
    defaultValues: plan ? planFormValues(plan) : NEW_PLAN_FORM,
  });
  const options = api.plans.formOptions.useQuery(undefined, { enabled: open });
  const utils = api.useUtils();
  const done = {
    onSuccess: async () => {
      await utils.plans.invalidate();
      onOpenChange(false);
    },
    onError: (e: unknown) => setServerErrors(form, e),
  };
  const create = api.plans.create.useMutation(done);
  const update = api.plans.update.useMutation({
    ...done,
    onSuccess: async (r) => {
      await done.onSuccess();
      onUpdated?.(r.changedFields);
    },
  });
  const saving = create.isPending || update.isPending;
  // The resolver has checked the form; the procedure takes what was typed (its schema parses rates and units
  // itself), not the resolver's kbit/s output.
  const save = () => {
    const typed = form.getValues();
    if (plan) update.mutate({ ...typed, id: plan.id });
    else create.mutate(typed);
  };

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={plan ? `Edit ${plan.name}` : 'Add plan'}
      width="max-w-5xl"
      testId="plan-form-dialog"
    >
      <Form form={form} onSubmit={save} testId="plan-form">
        <div className="grid grid-cols-1 gap-6 px-5 py-4 lg:grid-cols-[3fr_2fr]">
          <div className="space-y-5">
            <Section title="Service">
              <TextField name="name" label="Name" required autoComplete="off" className="sm:col-span-2" />
              <RateInputs rate="downloadRate" unit="downloadUnit" label="Download" required hint="What the subscriber receives." />
              <RateInputs rate="uploadRate" unit="uploadUnit" label="Upload" required hint="What the subscriber sends." />
            </Section>

            <Section
              title="Burst (MikroTik)"
              note="Optional: all of it or none. Up to the burst rate while the average stays under the threshold over the burst time."
            >
              <RateInputs rate="burstDownloadRate" unit="burstDownloadUnit" label="Burst download" hint="At least the download rate." />
              <RateInputs rate="burstUploadRate" unit="burstUploadUnit" label="Burst upload" hint="At least the upload rate." />
              <RateInputs
                rate="burstThresholdDownloadRate"
                unit="burstThresholdDownloadUnit"
                label="Burst threshold download"
                hint="At most the download rate."
              />
              <RateInputs
                rate="burstThresholdUploadRate"
                unit="burstThresholdUploadUnit"
                label="Burst threshold upload"
                hint="At most the upload rate."
              />
              <TextField
                name="burstTimeS"
                label="Burst time (s)"
                inputMode="numeric"
                autoComplete="off"
                hint="Averaging window, 1–3600 s."
              />
            </Section>

            <Section title="Generic BNG">
              <TextField
                name="filterId"
                label="Filter-Id"
                autoComplete="off"
                placeholder="RES-50M"
                className="sm:col-span-2"
                hint="The class-map / policy name the Cisco, Juniper or Huawei BNG applies; it must exist on the BNG, or the BNG ignores it."
              />
            </Section>

            <Section title="Address and session">
              <SelectField
                name="defaultNasId"
                label="Default NAS"
                toValue={(s) => (s ? Number(s) : null)}
                hint="Preselected for new subscribers on this plan; its pools are the Framed-Pool choices."
              >
                <option value="">None</option>
                {options.data?.nas.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.name} ({n.ipAddress}, {n.type})
                  </option>
                ))}
              </SelectField>
              <FramedPoolField />
              <TextField
                name="sessionTimeoutS"
                label="Session timeout (s)"
                inputMode="numeric"
                autoComplete="off"
                hint="Empty: no limit. 60 s – 365 days."
              />
              <TextField
                name="interimIntervalS"
                label="Interim interval (s)"
                inputMode="numeric"
                autoComplete="off"
                hint="Acct-Interim-Interval, 60–86400 s."
              />
            </Section>

            <Section title="Resellers" note="Resellers whose staff may put their subscribers on this plan. Admins may use every plan.">
              <ResellerChecklist resellers={options.data?.resellers} loading={options.isLoading} />
            </Section>
            <FormStrayErrors testId="plan-form-error" />
          </div>
          <PlanReplyPreview />
        </div>
        <DialogFooter>
          <Button onClick={() => onOpenChange(false)} disabled={saving}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" disabled={saving} data-testid="plan-form-save">
            {saving && <Spinner />}
            {saving ? 'Saving…' : 'Save'}
          </Button>
        </DialogFooter>
      </Form>
    </Dialog>
  );
}

type RateName =
  'downloadRate' | 'uploadRate' | 'burstDownloadRate' | 'burstUploadRate' | 'burstThresholdDownloadRate' | 'burstThresholdUploadRate';
type UnitName =
  'downloadUnit' | 'uploadUnit' | 'burstDownloadUnit' | 'burstUploadUnit' | 'burstThresholdDownloadUnit' | 'burstThresholdUploadUnit';

/** A rate as a number and its unit (k / M / G bit/s); the schema turns the pair into kbit/s. */
function RateInputs({
  rate,
  unit,
  label,
  hint,
  required,
}: {
  rate: RateName;
  unit: UnitName;
  label: string;
  hint?: string;
  required?: boolean;
}) {
  return (
    <div className="grid grid-cols-[1fr_6.5rem] items-start gap-2">
      <TextField
        name={rate}
        label={`${label} rate`}
        required={required}
        inputMode="decimal"
        autoComplete="off"
        placeholder="10"
        hint={hint}
      />
      <SelectField name={unit} label={`${label} unit`}>
        {RATE_UNITS.map((u) => (
          <option key={u} value={u}>
            {u}bit/s
          </option>
        ))}
      </SelectField>
    </div>
  );
}

/**
 * With a default NAS, Framed-Pool is one of that NAS's pools (imported, or named in its Subscriber Pools hint);
 * without one it is free text. A stored pool the NAS no longer has stays listed, marked, so it is not lost silently.
 */
function FramedPoolField() {
  const { control } = useFormContext<PlanFormInput>();
  const [nasId, current] = useWatch({ control, name: ['defaultNasId', 'framedPool'] });
  const choices = api.plans.poolChoices.useQuery({ nasId: nasId ?? 0 }, { enabled: typeof nasId === 'number' && nasId > 0 });
  if (typeof nasId !== 'number') {
    return (
      <TextField
        name="framedPool"
        label="Framed-Pool"
        autoComplete="off"
        placeholder="ppp-pool"
        hint="The pool the NAS assigns addresses from. Empty: the NAS's own default."
      />
    );
  }
  const list = choices.data?.choices ?? [];
  const missing = current && !list.some((c) => c.name === current);
  return (
    <SelectField
      name="framedPool"
      label="Framed-Pool"
      hint={
        choices.isLoading
          ? 'Loading the NAS’s pools…'
          : list.length
            ? 'The NAS’s imported pools and its Subscriber Pools hint.'
            : 'This NAS has no imported pools and no Subscriber Pools hint: import its pools or set the hint on the NAS.'
      }
    >
      <option value="">None</option>
      {list.map((c) => (
        <option key={c.name} value={c.name}>
          {c.name} ({[c.imported && 'imported', c.hinted && 'hint'].filter(Boolean).join(', ')})
        </option>
      ))}
      {missing && !choices.isLoading && <option value={current}>{current} (not on this NAS)</option>}
    </SelectField>
  );
}

function ResellerChecklist({ resellers, loading }: { resellers?: { id: number; name: string }[]; loading: boolean }) {
  const { control } = useFormContext<PlanFormInput>();
  const { field } = useController({ control, name: 'resellerIds' });
  const chosen = new Set((field.value ?? []) as number[]);
  if (loading) return <p className="text-sm text-slate-500 sm:col-span-2">Loading…</p>;
  if (!resellers?.length) return <p className="text-sm text-slate-500 sm:col-span-2">No resellers yet.</p>;
  const toggle = (id: number, on: boolean) => field.onChange(on ? [...chosen, id] : [...chosen].filter((x) => x !== id));
  return (
    <div className="grid max-h-40 grid-cols-1 gap-1 overflow-y-auto sm:col-span-2 sm:grid-cols-2" data-testid="plan-resellers">
      {resellers.map((r) => (
        <label key={r.id} className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            className="h-4 w-4 rounded border-slate-300"
            checked={chosen.has(r.id)}
            onChange={(e) => toggle(r.id, e.target.checked)}
          />
          {r.name}
        </label>
      ))}
    </div>
  );
}

function Section({ title, note, children }: { title: string; note?: string; children: React.ReactNode }) {
  return (
    <fieldset>
      <legend className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</legend>
      {note && <p className="mt-0.5 text-xs text-slate-500">{note}</p>}
      <div className="mt-2 grid grid-cols-1 gap-x-4 gap-y-3 sm:grid-cols-2">{children}</div>
    </fieldset>
  );
}
