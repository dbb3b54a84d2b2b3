'use client';

import { useEffect, useRef, useState } from 'react';
import { useWatch } from 'react-hook-form';
import { useCan } from '@/components/actor-context';
import { Button, Spinner } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { errorCode, errorMessage } from '@/components/ui/error-text';
import { FormError } from '@/components/ui/field';
import { PlanPushPanel } from '@/components/sessions/control-plan-push';
import { Form, FormStrayErrors, formFields, setServerErrors, useSchemaForm } from '@/components/ui/form';
import { schemaResolver } from '@/components/ui/schema-resolver';
import {
  generatePassword,
  ZCreateSubscriberInput,
  ZUpdateSubscriberInput,
  type CreateSubscriberInput,
  type UpdateSubscriberInput,
} from '@/lib/schemas/subscribers';
import { api } from '@/trpc/react';
import type { SubscriberDetail } from './types';

type Props = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Absent: Add subscriber. Present: edit that subscriber (loaded with subscribers.get, usually from cache). */
  subscriberId?: number;
  /** Add: the NAS the list is filtered to. */
  initialNasId?: number | null;
};

export function SubscriberFormDialog({ open, onOpenChange, subscriberId, initialNasId = null }: Props) {
  const sub = api.subscribers.get.useQuery({ id: subscriberId ?? 0 }, { enabled: open && subscriberId !== undefined, retry: false });
  // Set after a save that used a generated password: the dialog shows it once, then it is gone.
  const [shown, setShown] = useState<{ username: string; password: string } | null>(null);
  // Set after an edit that changed the plan: the dialog offers to apply it to the subscriber's online sessions now.
  const [planChanged, setPlanChanged] = useState<{ id: number; username: string } | null>(null);
  const title =
    shown || planChanged
      ? 'Subscriber saved'
      : subscriberId === undefined
        ? 'Add subscriber'
        : `Edit ${sub.data?.username ?? 'subscriber'}`;
  const close = () => onOpenChange(false);
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title} width="max-w-xl" testId="subscriber-form-dialog">
      {shown ? (
        <GeneratedPassword {...shown} onClose={close} />
      ) : planChanged ? (
        <div className="p-5">
          <PlanPushPanel target={{ subscriberId: planChanged.id }} subject={`${planChanged.username}'s plan`} onClose={close} />
        </div>
      ) : subscriberId === undefined ? (
        <SubscriberForm stored={null} initialNasId={initialNasId} onClose={close} onGenerated={setShown} />
      ) : sub.data ? (
        <SubscriberForm stored={sub.data} initialNasId={null} onClose={close} onGenerated={setShown} onPlanChanged={setPlanChanged} />
      ) : sub.error ? (
        <div className="p-5">
          <FormError message={errorCode(sub.error) === 'NOT_FOUND' ? 'Subscriber not found' : errorMessage(sub.error)} />
        </div>
      ) : (
        <div className="flex items-center gap-2 p-5 text-sm text-slate-500">
          <Spinner /> Loading…
        </div>
      )}
    </Dialog>
  );
}

/** What the inputs hold; the selects' ids are numbers (or nothing chosen yet). */
type FormInput = {
  username: string;
  password: string;
  nasId: number | undefined;
  planId: number | undefined;
  resellerId: number | null;
  staticIp: string;
  enabled: boolean;
};
type FormOutput = CreateSubscriberInput | UpdateSubscriberInput;

const { TextField, SelectField, CheckboxField } = formFields<FormInput>();
const optionalId = (s: string) => (s === '' ? undefined : Number(s));

function SubscriberForm({
  stored,
  initialNasId,
  onClose,
  onGenerated,
  onPlanChanged,
}: {
  stored: SubscriberDetail | null;
  initialNasId: number | null;
  onClose: () => void;
  onGenerated: (shown: { username: string; password: string }) => void;
  onPlanChanged?: (subscriber: { id: number; username: string }) => void;
}) {
  const can = useCan();
  const choosesReseller = can('nas.all');
  const form = useSchemaForm<FormInput, FormOutput>({
    resolver: stored
      ? schemaResolver(ZUpdateSubscriberInput, (v: FormInput) => ({ ...v, id: stored.id }) as never)
      : schemaResolver(ZCreateSubscriberInput, (v: FormInput) => v as never),
    defaultValues: stored
      ? {
          username: stored.username,
          password: '',
          nasId: stored.nas?.id,
          planId: stored.plan?.id,
          resellerId: stored.reseller?.id ?? null,
          staticIp: stored.staticIp ?? '',
          enabled: stored.enabled,
        }
      : { username: '', password: '', nasId: initialNasId ?? undefined, planId: undefined, resellerId: null, staticIp: '', enabled: true },
  });
  const [resellerId, planId, nasId, password] = useWatch({ control: form.control, name: ['resellerId', 'planId', 'nasId', 'password'] });
  const [generated, setGenerated] = useState<string | null>(null);

  const options = api.subscribers.formOptions.useQuery(undefined, { staleTime: 60_000 });
  const plans = api.plans.options.useQuery({ resellerId: choosesReseller ? resellerId : null }, { staleTime: 60_000 });
  // An admin's subscriber of a reseller may only go on that reseller's NAS; without a reseller, on any.
  const nasChoices = (options.data?.nas ?? []).filter((n) => !choosesReseller || resellerId === null || n.resellerIds.includes(resellerId));

  // Choosing a plan preselects its default NAS (when the subscriber's reseller may use it).
  const lastPlan = useRef(planId);
  useEffect(() => {
    if (planId === lastPlan.current) return;
    lastPlan.current = planId;
    const nas = plans.data?.find((p) => p.id === planId)?.defaultNasId;
    if (nas && nasChoices.some((n) => n.id === nas)) form.setValue('nasId', nas, { shouldDirty: true });
  }, [planId, plans.data, nasChoices, form]);

  const utils = api.useUtils();
  const onSuccess = async ({ id }: { id: number }, sent: { username: string; password?: string; planId?: number }) => {
    await Promise.all([utils.subscribers.list.invalidate(), utils.subscribers.get.invalidate({ id }), utils.nas.list.invalidate()]);
    if (generated !== null && sent.password === generated) onGenerated({ username: sent.username, password: generated });
    else if (stored && onPlanChanged && can('sessions.disconnect') && sent.planId !== stored.plan?.id) {
      onPlanChanged({ id, username: sent.username });
    } else onClose();
  };
  const onError = (error: unknown) => setServerErrors(form, error);
  const create = api.subscribers.create.useMutation({ onSuccess, onError });
  const update = api.subscribers.update.useMutation({ onSuccess, onError });
  const saving = create.isPending || update.isPending;
  const save = (v: FormOutput) => ('id' in v ? update.mutate(v) : create.mutate(v));

  const generate = () => {
    const password = generatePassword();
    setGenerated(password);
    form.setValue('password', password, { shouldDirty: true });
    form.clearErrors('password');
  };

  // The stored NAS / plan may be one the reseller can no longer choose: still shown, so an edit does not move it.
  const storedNasMissing = stored?.nas && !nasChoices.some((n) => n.id === stored.nas!.id) && nasId === stored.nas.id;
  const storedPlanMissing = stored?.plan && plans.data && !plans.data.some((p) => p.id === stored.plan!.id) && planId === stored.plan.id;

  return (
    <Form form={form} onSubmit={save} testId="subscriber-form">
      <div className="grid grid-cols-1 gap-x-4 gap-y-3 px-5 py-4 sm:grid-cols-2">
        <TextField
          name="username"
          label="Username"
          required
          autoComplete="off"
          spellCheck={false}
          hint="The RADIUS User-Name the CPE logs in with: no spaces."
        />
        <div>
          <TextField
            name="password"
            label="Password"
            required={!stored}
            type="password"
            autoComplete="new-password"
            placeholder={stored ? 'unchanged — leave empty to keep' : undefined}
            hint={
              generated !== null && password === generated
                ? 'A generated password: shown once after Save.'
                : stored
                  ? stored.hasPassword
                    ? 'A password is stored.'
                    : 'No password is stored.'
                  : 'Type one, or generate it.'
            }
          />
          <Button className="mt-1" size="sm" onClick={generate} data-testid="subscriber-generate-password">
            Generate
          </Button>
        </div>

        {choosesReseller && (
          <SelectField
            name="resellerId"
            label="Reseller"
            toValue={(s) => (s === '' ? null : Number(s))}
            hint="Its NAS and plan must be assigned / offered to this reseller."
            className="sm:col-span-2"
          >
            <option value="">— none (the operator&apos;s own) —</option>
            {options.data?.resellers.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </SelectField>
        )}

        <SelectField name="planId" label="Plan" required toValue={optionalId} hint="Rate limit and attributes the RADIUS reply carries.">
          <option value="">{plans.isLoading ? 'Loading…' : plans.data?.length ? 'Choose a plan' : 'No plan is offered to you'}</option>
          {storedPlanMissing && <option value={stored!.plan!.id}>{stored!.plan!.name} (no longer offered)</option>}
          {plans.data?.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} — {p.rates}
            </option>
          ))}
        </SelectField>
        <SelectField name="nasId" label="NAS" required toValue={optionalId} hint="The router this subscriber logs in through.">
          <option value="">{options.isLoading ? 'Loading…' : nasChoices.length ? 'Choose a NAS' : 'No NAS is assigned to you'}</option>
          {storedNasMissing && (
            <option value={stored!.nas!.id}>
              {stored!.nas!.name} ({stored!.nas!.ipAddress}) — not assigned to your reseller
            </option>
          )}
          {nasChoices.map((n) => (
            <option key={n.id} value={n.id}>
              {n.name} ({n.ipAddress})
            </option>
          ))}
        </SelectField>

        <TextField
          name="staticIp"
          label="Static IP"
          autoComplete="off"
          placeholder="empty = from the pool"
          hint="Optional. Must be unique, and inside one of the NAS's imported pools when it has any."
        />
        <CheckboxField name="enabled" label="Enabled" className="self-center" hint="A disabled subscriber is rejected by RADIUS." />

        <div className="sm:col-span-2">
          <FormStrayErrors testId="subscriber-form-error" />
        </div>
      </div>

      <DialogFooter>
        <Button onClick={onClose} disabled={saving}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" disabled={saving} data-testid="subscriber-form-save">
          {saving && <Spinner />}
          {saving ? 'Saving…' : 'Save'}
        </Button>
      </DialogFooter>
    </Form>
  );
}

/** The generated password, once: nothing can show it again (the server keeps it sealed and never returns it). */
function GeneratedPassword({ username, password, onClose }: { username: string; password: string; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <div className="space-y-3 px-5 py-4 text-sm text-slate-700">
        <p>
          The password of <strong>{username}</strong>. Give it to the subscriber now: it will not be shown again.
        </p>
        <div className="flex items-center gap-2">
          <code className="rounded bg-slate-100 px-2 py-1 font-mono text-base text-slate-900" data-testid="generated-password">
            {password}
          </code>
          <Button
            size="sm"
            onClick={() => {
              void navigator.clipboard?.writeText(password).then(() => setCopied(true));
            }}
          >
            {copied ? 'Copied' : 'Copy'}
          </Button>
        </div>
      </div>
      <DialogFooter>
        <Button variant="primary" onClick={onClose} data-testid="generated-password-done">
          Done
        </Button>
      </DialogFooter>
    </>
  );
}
