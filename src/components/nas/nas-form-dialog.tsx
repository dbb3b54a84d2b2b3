'use client';

import { useWatch } from 'react-hook-form';
import { api } from '@/trpc/react';
import { Button, Spinner } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { errorCode, errorMessage } from '@/components/ui/error-text';
import { FormError } from '@/components/ui/field';
import { Form, FormStrayErrors, formFields, setServerErrors, useSchemaForm } from '@/components/ui/form';
import { FormTestConnection } from './form-test-connection';
import { NEW_NAS_FORM, nasFormResolver, nasFormValues, type NasFormInput, type NasFormOutput, type NasFormTarget } from './nas-form-values';

type Props = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Absent: Add NAS. Present: edit that NAS (loaded with nas.get, usually from cache). */
  nasId?: number;
  /** Add NAS with some fields filled in (e.g. from a RADIUS packet of an unknown device). */
  prefill?: Partial<NasFormInput>;
  onSaved?: (id: number) => void;
};

export function NasFormDialog({ open, onOpenChange, nasId, onSaved, prefill }: Props) {
  const nas = api.nas.get.useQuery({ id: nasId ?? 0 }, { enabled: open && nasId !== undefined, retry: false });
  const title = nasId === undefined ? 'Add NAS' : `Edit ${nas.data?.name ?? 'NAS'}`;
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title} width="max-w-2xl" testId="nas-form-dialog">
      {nasId === undefined ? (
        <NasForm target={{ mode: 'create' }} prefill={prefill} onClose={() => onOpenChange(false)} onSaved={onSaved} />
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

const { TextField, TextAreaField, SelectField, CheckboxField } = formFields<NasFormInput>();

function NasForm({
  target,
  prefill,
  onClose,
  onSaved,
}: {
  target: NasFormTarget;
  prefill?: Partial<NasFormInput>;
  onClose: () => void;
  onSaved?: Props['onSaved'];
}) {
  const stored = target.mode === 'edit' ? target.nas : null;
  const form = useSchemaForm<NasFormInput, NasFormOutput>({
    resolver: nasFormResolver(target),
    defaultValues: stored ? nasFormValues(stored) : { ...NEW_NAS_FORM, ...prefill },
  });
  const [type, useSsl, clearApiPassword, ipAddress] = useWatch({
    control: form.control,
    name: ['type', 'useSsl', 'clearApiPassword', 'ipAddress'],
  });

  const utils = api.useUtils();
  const onSuccess = async ({ id }: { id: number }) => {
    await Promise.all([utils.nas.list.invalidate(), utils.nas.get.invalidate({ id }), utils.nas.history.invalidate({ id })]);
    onSaved?.(id);
    onClose();
  };
  const onError = (error: unknown) => setServerErrors(form, error);
  const create = api.nas.create.useMutation({ onSuccess, onError });
  const update = api.nas.update.useMutation({ onSuccess, onError });
  const saving = create.isPending || update.isPending;
  const save = (v: NasFormOutput) => ('id' in v ? update.mutate(v) : create.mutate(v));

  const keepPlaceholder = stored ? 'unchanged — leave empty to keep' : undefined;
  const port = { inputMode: 'numeric' as const };

  return (
    <Form form={form} onSubmit={save} testId="nas-form">
      <div className="space-y-5 px-5 py-4">
        <FormSection title="Identification">
          <TextField name="name" label="Name" required autoComplete="off" hint="Display name." />
          <TextField name="shortName" label="Short Name" autoComplete="off" hint="Optional alternate label used in tight UI spots." />
          <TextField
            name="ipAddress"
            label="IP Address"
            required
            autoComplete="off"
            placeholder="10.0.0.1 or 2001:db8::1"
            hint="The interface IP the NAS sends RADIUS packets from (not necessarily its management IP)."
          />
          <SelectField
            name="type"
            label="Type"
            hint="mikrotik: MikroTik-Rate-Limit. generic: Framed-Bandwidth + Filter-Id (Cisco, Juniper, Huawei)."
          >
            <option value="mikrotik">mikrotik</option>
            <option value="generic">generic</option>
          </SelectField>
          <TextAreaField name="description" label="Description" className="sm:col-span-2" />
          <CheckboxField
            name="isActive"
            label="Is Active"
            className="sm:col-span-2"
            hint="Disabling does not remove the secret from RADIUS: the RADIUS service keeps answering this NAS. To shut a NAS out fully, delete it."
          />
        </FormSection>

        <FormSection title="RADIUS">
          <TextField
            name="secret"
            label="Secret"
            required={!stored}
            type="password"
            autoComplete="new-password"
            placeholder={keepPlaceholder}
            className="sm:col-span-2"
            hint={
              stored ? (
                <span data-testid="secret-stored">
                  {stored.secretUnreadable
                    ? 'The stored secret is unreadable: set a new one.'
                    : stored.hasSecret
                      ? 'A secret is stored.'
                      : 'No secret is stored.'}
                </span>
              ) : (
                'Must match /radius add … secret=… on the router.'
              )
            }
          />
          <TextField name="authPort" label="Auth Port" hint="UDP, default 1812." {...port} />
          <TextField name="acctPort" label="Acct Port" hint="UDP, default 1813." {...port} />
          <TextField name="coaPort" label="CoA Port" hint="MikroTik's default 1700 (/radius incoming)." {...port} />
          <CheckboxField
            name="requireMessageAuthenticator"
            label="Require Message-Authenticator"
            className="sm:col-span-2"
            hint="Drops Access-Requests without it (BlastRADIUS, CVE-2024-3596). RouterOS 7.15 and later send it; turn off only for a NAS that cannot."
          />
        </FormSection>

        {type === 'mikrotik' && (
          <FormSection
            title="MikroTik API"
            note="Optional, but strongly recommended: pool listing, Torch, CoA fallback, ping/traceroute via the router."
            testId="nas-form-api-section"
          >
            <TextField
              name="apiUsername"
              label="API Username"
              autoComplete="off"
              hint="Required if the API is used. A dedicated user with full group is recommended."
            />
            <TextField
              name="apiPassword"
              label="API Password"
              type="password"
              autoComplete="new-password"
              placeholder={keepPlaceholder}
              disabled={clearApiPassword}
              hint={
                stored ? (
                  <span data-testid="api-password-stored">
                    {stored.apiPasswordUnreadable
                      ? 'The stored API password is unreadable: set a new one, or clear it.'
                      : stored.hasApiPassword
                        ? 'An API password is stored.'
                        : 'No API password is stored.'}
                  </span>
                ) : undefined
              }
            />
            {stored?.hasApiPassword && (
              <CheckboxField
                name="clearApiPassword"
                label="Clear stored API password"
                className="sm:col-span-2"
                hint="Removes the stored password on save; the panel stops using the API for this NAS."
              />
            )}
            <TextField name="apiPort" label="API Port" hint="Default 8728." {...port} />
            <TextField name="apiSslPort" label="API SSL Port" hint="Default 8729, used when Use SSL is on." {...port} />
            <TextField
              name="apiHost"
              label="API Host"
              autoComplete="off"
              placeholder={ipAddress || 'same as IP Address'}
              hint="Where the panel reaches the API, if not the RADIUS source IP. Blank = use the IP address."
            />
            <CheckboxField
              name="useSsl"
              label="Use SSL"
              className="self-center"
              hint="Turn on if /ip service api-ssl is enabled on the router. Its certificate is pinned on first use."
            />
            {useSsl && (
              <CheckboxField
                name="tlsAllowAnonymous"
                label="Allow anonymous TLS"
                className="sm:col-span-2"
                hint="Only for a router whose api-ssl has no certificate (certificate=none): the link is encrypted, but nothing proves it is your router."
              />
            )}
          </FormSection>
        )}

        <FormSection title="IP Pools">
          <TextField
            name="subscriberPools"
            label="Subscriber Pools"
            autoComplete="off"
            placeholder="ppp-pool-1, ppp-pool-2"
            hint="Comma-separated MikroTik pool names this NAS owns. A hint for the CDN page's pool dropdowns."
          />
          <TextField
            name="allowedRealms"
            label="Allowed Realms"
            autoComplete="off"
            placeholder="@isp.example, @other.example"
            hint="Comma-separated @domain realms accepted on this NAS. If set, RADIUS rejects users of other realms."
          />
        </FormSection>

        <FormStrayErrors testId="nas-form-error" />
      </div>

      <DialogFooter>
        {/* Test connection works on the unsaved values: the spec's "test, then save". */}
        <div className="mr-auto flex items-center gap-2">
          <FormTestConnection title={stored ? stored.name : 'new NAS'} />
        </div>
        <Button onClick={onClose} disabled={saving}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" disabled={saving} data-testid="nas-form-save">
          {saving && <Spinner />}
          {saving ? 'Saving…' : 'Save'}
        </Button>
      </DialogFooter>
    </Form>
  );
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
