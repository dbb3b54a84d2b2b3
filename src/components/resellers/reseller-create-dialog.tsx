'use client';

import type { z } from 'zod';
import { ZCreateResellerInput, type CreateResellerInput } from '@/lib/schemas/resellers';
import { api } from '@/trpc/react';
import { Button, Spinner } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { Form, FormStrayErrors, formFields, setServerErrors, useSchemaForm } from '@/components/ui/form';
import { schemaResolver } from '@/components/ui/schema-resolver';

type ResellerFormInput = z.input<typeof ZCreateResellerInput>;

const { TextField } = formFields<ResellerFormInput>();

export function ResellerCreateDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const form = useSchemaForm<ResellerFormInput, CreateResellerInput>({
    resolver: schemaResolver(ZCreateResellerInput, (v: ResellerFormInput) => v),
    defaultValues: { name: '', contactEmail: '' },
  });
  const utils = api.useUtils();
  const create = api.resellers.create.useMutation({
    onSuccess: async () => {
      await utils.resellers.list.invalidate();
      onOpenChange(false);
    },
    onError: (e) => setServerErrors(form, e),
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Add reseller" testId="reseller-form-dialog">
      <Form form={form} onSubmit={(v) => create.mutate(v)}>
        <div className="space-y-3 px-5 py-4">
          <TextField name="name" label="Name" required autoComplete="off" />
          <TextField name="contactEmail" label="Contact Email" type="email" autoComplete="off" />
          <FormStrayErrors />
        </div>
        <DialogFooter>
          <Button onClick={() => onOpenChange(false)} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" disabled={create.isPending} data-testid="reseller-form-save">
            {create.isPending && <Spinner />}
            {create.isPending ? 'Saving…' : 'Save'}
          </Button>
        </DialogFooter>
      </Form>
    </Dialog>
  );
}
