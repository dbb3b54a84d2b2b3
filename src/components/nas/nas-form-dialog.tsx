'use client';

import { useState } from 'react';
import type { FieldErrors } from '@/lib/schemas/field-errors';
import type { NasDetail } from '@/server/services/nas/nas-view';
import { api, fieldErrorsFrom } from '@/trpc/react';
import { Button, Spinner } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { errorCode, errorMessage } from '@/components/ui/error-text';
import { CheckboxField, FormError, SelectField, TextAreaField, TextField } from '@/components/ui/field';
import { FormTestConnection } from './form-test-connection';
import { API_FIELDS, NEW_NAS_FORM, formStateFromNas, parseNasForm, type NasFormState, type NasFormTarget, type ParsedNasForm } from './nas-form-values';

export { parseNasForm, type ParsedNasForm } from './nas-form-values';

/** Handed to the footer's Test connection so it acts on the values typed so far. */
export interface NasFormApi {
  target: NasFormTarget;
  /** The current values through the form's zod schema, without touching what the form shows. */
  getParsedValues: () => ParsedNasForm;
  /** Same, but shows field errors in the form when the values are invalid. */
  validate: () => ParsedNasForm;
}

type Props = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Absent: Add NAS. Present: edit that NAS (loaded with nas.get, usually from cache). */
  nasId?: number;
  onSaved?: (id: number) => void;
};

export function NasFormDialog({ open, onOpenChange, nasId, onSaved }: Props) {
  const nas = api.nas.get.useQuery({ id: nasId ?? 0 }, { enabled: open && nasId !== undefined, retry: false });
  const title = nasId === undefined ? 'Add NAS' : `Edit ${nas.data?.name ?? 'NAS'}`;
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title} width="max-w-2xl" testId="nas-form-dialog">
      {nasId === undefined ? (
        <NasForm target={{ mode: 'create' }} onClose={() => onOpenChange(false)} onSaved={onSaved} />
      ) : nas.data ? (
        <NasForm target={{ mode: 'edit', nas: nas.data }} onClose={() => onOpenChange(false)} onSaved={onSaved} />
      ) : nas.error ? (
        <div className="p-5">
          <FormError message={errorCode(nas.error) === 'NOT_FOUND' ? 'NAS not found' : errorMessage(nas.error)} />
        </div>
      ) : (
        <div className="flex items-center gap-2 p-5 text-sm text-slate-500">
          <Spinner /> Loading…
        </div>
      )}
    </Dialog>
  );
}

function NasForm({
  target,
  onClose,
  onSaved,
}: {
  target: NasFormTarget;
  onClose: () => void;
  onSaved?: Props['onSaved'];
}) {
  const stored: NasDetail | null = target.mode === 'edit' ? target.nas : null;
  const [state, setState] = useState<NasFormState>(() => (stored ? formStateFromNas(stored) : NEW_NAS_FORM));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const utils = api.useUtils();
  const onSuccess = async ({ id }: { id: number }) => {
    await Promise.all([utils.nas.list.invalidate(), utils.nas.get.invalidate({ id }), utils.nas.history.invalidate({ id })]);
    onSaved?.(id);
    onClose();
  };
  const onError = (error: unknown) => {
    const fields = fieldErrorsFrom(error);
    setErrors(fields);
    const stray = strayErrors(fields, state.type);
    // A field error sits under its input; everything else is said once, above the buttons.
    setFormError(stray ?? (Object.keys(fields).length ? null : errorMessage(error)));
  };
  const create = api.nas.create.useMutation({ onSuccess, onError });
  const update = api.nas.update.useMutation({ onSuccess, onError });
  const saving = create.isPending || update.isPending;

  const formApi: NasFormApi = {
    target,
    getParsedValues: () => parseNasForm(state, target),
    validate: () => {
      const r = parseNasForm(state, target);
      setErrors(r.ok ? {} : r.errors);
      return r;
    },
  };

  function submit(e: React.FormEvent) {
    e.preventDefault();
    setFormError(null);
    const r = formApi.validate();
    if (!r.ok) {
      setFormError(strayErrors(r.errors, state.type));
      return;
    }
    if (r.mode === 'create') create.mutate(r.data);
    else update.mutate(r.data);
  }

  function set<K extends keyof NasFormState>(key: K, value: NasFormState[K]) {
    setState((s) => ({ ...s, [key]: value }));
    if (errors[key]) setErrors(({ [key]: _, ...rest }) => rest);
  }
  const text = (key: keyof NasFormState) => ({
    name: key,
    value: state[key] as string,
    error: errors[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => set(key, e.target.value as never),
  });
  const port = (key: 'authPort' | 'acctPort' | 'coaPort' | 'apiPort' | 'apiSslPort') => ({ ...text(key), inputMode: 'numeric' as const });
  const check = (key: 'isActive' | 'useSsl' | 'tlsAllowAnonymous' | 'clearApiPassword') => ({
    name: key,
    checked: state[key],
    error: errors[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => set(key, e.target.checked),
  });
  const keepPlaceholder = stored ? 'unchanged — leave empty to keep' : undefined;

  return (
    <form onSubmit={submit} noValidate data-testid="nas-form">
      <div className="space-y-5 px-5 py-4">
        <FormSection title="Identification">
          <TextField label="Name" required autoComplete="off" hint="Display name." {...text('name')} />
          <TextField label="Short Name" autoComplete="off" hint="Optional alternate label used in tight UI spots." {...text('shortName')} />
          <TextField
            label="IP Address"
            required
            autoComplete="off"
            placeholder="10.0.0.1 or 2001:db8::1"
            hint="The interface IP the NAS sends RADIUS packets from (not necessarily its management IP)."
            {...text('ipAddress')}
          />
          <SelectField
            label="Type"
            name="type"
            value={state.type}
            error={errors.type}
            hint="mikrotik: MikroTik-Rate-Limit. generic: Framed-Bandwidth + Filter-Id (Cisco, Juniper, Huawei)."
            onChange={(e) => set('type', e.target.value as NasFormState['type'])}
          >
            <option value="mikrotik">mikrotik</option>
            <option value="generic">generic</option>
          </SelectField>
          <TextAreaField label="Description" className="sm:col-span-2" {...text('description')} />
          <CheckboxField
            label="Is Active"
            className="sm:col-span-2"
            hint="Disabling does not remove the secret from RADIUS; to shut a NAS out fully, also delete it."
            {...check('isActive')}
          />
        </FormSection>

        <FormSection title="RADIUS">
          <TextField
            label="Secret"
            required={!stored}
            type="password"
            autoComplete="new-password"
            placeholder={keepPlaceholder}
            className="sm:col-span-2"
            hint={
              stored ? (
                <span data-testid="secret-stored">
                  {stored.secretUnreadable ? 'The stored secret is unreadable: set a new one.' : stored.hasSecret ? 'A secret is stored.' : 'No secret is stored.'}
                </span>
              ) : (
                'Must match /radius add … secret=… on the router.'
              )
            }
            {...text('secret')}
          />
          <TextField label="Auth Port" hint="UDP, default 1812." {...port('authPort')} />
          <TextField label="Acct Port" hint="UDP, default 1813." {...port('acctPort')} />
          <TextField label="CoA Port" hint="MikroTik's default 1700 (/radius incoming)." {...port('coaPort')} />
        </FormSection>

        {state.type === 'mikrotik' && (
          <FormSection
            title="MikroTik API"
            note="Optional, but strongly recommended: pool listing, Torch, CoA fallback, ping/traceroute via the router."
            testId="nas-form-api-section"
          >
            <TextField
              label="API Username"
              autoComplete="off"
              hint="Required if the API is used. A dedicated user with full group is recommended."
              {...text('apiUsername')}
            />
            <TextField
              label="API Password"
              type="password"
              autoComplete="new-password"
              placeholder={keepPlaceholder}
              disabled={state.clearApiPassword}
              hint={
                stored ? (
                  <span data-testid="api-password-stored">
                    {stored.apiPasswordUnreadable
                      ? 'The stored API password is unreadable: set a new one, or clear it.'
                      : stored.hasApiPassword ? 'An API password is stored.' : 'No API password is stored.'}
                  </span>
                ) : undefined
              }
              {...text('apiPassword')}
            />
            {stored?.hasApiPassword && (
              <CheckboxField
                label="Clear stored API password"
                className="sm:col-span-2"
                hint="Removes the stored password on save; the panel stops using the API for this NAS."
                {...check('clearApiPassword')}
              />
            )}
            <TextField label="API Port" hint="Default 8728." {...port('apiPort')} />
            <TextField label="API SSL Port" hint="Default 8729, used when Use SSL is on." {...port('apiSslPort')} />
            <TextField
              label="API Host"
              autoComplete="off"
              placeholder={state.ipAddress || 'same as IP Address'}
              hint="Where the panel reaches the API, if not the RADIUS source IP. Blank = use the IP address."
              {...text('apiHost')}
            />
            <CheckboxField
              label="Use SSL"
              className="self-center"
              hint="Turn on if /ip service api-ssl is enabled on the router. Its certificate is pinned on first use."
              {...check('useSsl')}
            />
            {state.useSsl && (
              <CheckboxField
                label="Allow anonymous TLS"
                className="sm:col-span-2"
                hint="Only for a router whose api-ssl has no certificate (certificate=none): the link is encrypted, but nothing proves it is your router."
                {...check('tlsAllowAnonymous')}
              />
            )}
          </FormSection>
        )}

        <FormSection title="IP Pools">
          <TextField
            label="Subscriber Pools"
            autoComplete="off"
            placeholder="ppp-pool-1, ppp-pool-2"
            hint="Comma-separated MikroTik pool names this NAS owns. A hint for the CDN page's pool dropdowns."
            {...text('subscriberPools')}
          />
          <TextField
            label="Allowed Realms"
            autoComplete="off"
            placeholder="@isp.example, @other.example"
            hint="Comma-separated @domain realms accepted on this NAS. If set, RADIUS rejects users of other realms."
            {...text('allowedRealms')}
          />
        </FormSection>

        <FormError message={formError} testId="nas-form-error" />
      </div>

      <DialogFooter>
        {/* Test connection works on the unsaved values: the spec's "test, then save". */}
        <div className="mr-auto flex items-center gap-2">
          <FormTestConnection form={formApi} />
        </div>
        <Button onClick={onClose} disabled={saving}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" disabled={saving} data-testid="nas-form-save">
          {saving && <Spinner />}
          {saving ? 'Saving…' : 'Save'}
        </Button>
      </DialogFooter>
    </form>
  );
}

/** Errors with no visible input to sit under (hidden API fields, `_form`), joined into one line. */
function strayErrors(errors: FieldErrors, type: NasFormState['type']): string | null {
  const hidden = (k: string) => !(k in NEW_NAS_FORM) || (type === 'generic' && (API_FIELDS as readonly string[]).includes(k));
  const stray = Object.entries(errors).filter(([k]) => hidden(k)).map(([, m]) => m[0]);
  return stray.length ? stray.join('; ') : null;
}

function FormSection({ title, note, testId, children }: { title: string; note?: string; testId?: string; children: React.ReactNode }) {
  return (
    <fieldset data-testid={testId}>
      <legend className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</legend>
      {note && <p className="mt-0.5 text-xs text-slate-500">{note}</p>}
      <div className="mt-2 grid grid-cols-1 gap-x-4 gap-y-3 sm:grid-cols-2">{children}</div>
    </fieldset>
  );
}
