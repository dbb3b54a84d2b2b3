'use client';

import { useState } from 'react';
import { fieldErrorsOf, type FieldErrors } from '@/lib/schemas/field-errors';
import { ZCreateResellerInput } from '@/lib/schemas/resellers';
import { api, fieldErrorsFrom } from '@/trpc/react';
import { Button, Spinner } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { errorMessage } from '@/components/ui/error-text';
import { FormError, TextField } from '@/components/ui/field';

const FIELDS = new Set(['name', 'contactEmail']);

export function ResellerCreateDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const [values, setValues] = useState({ name: '', contactEmail: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const utils = api.useUtils();
  const create = api.resellers.create.useMutation({
    onSuccess: async () => {
      await utils.resellers.list.invalidate();
      onOpenChange(false);
    },
    onError: (e) => {
      const fields = fieldErrorsFrom(e);
      setErrors(fields);
      setFormError(Object.keys(fields).some((k) => FIELDS.has(k)) ? null : errorMessage(e));
    },
  });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    setFormError(null);
    const r = ZCreateResellerInput.safeParse(values);
    setErrors(r.success ? {} : fieldErrorsOf(r.error));
    if (!r.success) return;
    create.mutate(r.data);
  }

  const field = (key: 'name' | 'contactEmail') => ({
    name: key,
    value: values[key],
    error: errors[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [key]: e.target.value })),
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Add reseller" testId="reseller-form-dialog">
      <form onSubmit={submit} noValidate>
        <div className="space-y-3 px-5 py-4">
          <TextField label="Name" required autoComplete="off" {...field('name')} />
          <TextField label="Contact Email" type="email" autoComplete="off" {...field('contactEmail')} />
          <FormError message={formError} />
        </div>
        <DialogFooter>
          <Button onClick={() => onOpenChange(false)} disabled={create.isPending}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={create.isPending} data-testid="reseller-form-save">
            {create.isPending && <Spinner />}
            {create.isPending ? 'Saving…' : 'Save'}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
