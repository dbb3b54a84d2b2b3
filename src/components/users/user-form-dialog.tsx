'use client';

import { useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { Button, Spinner } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { Form, FormStrayErrors, formFields, setServerErrors, useSchemaForm } from '@/components/ui/form';
import { schemaResolver } from '@/components/ui/schema-resolver';
import { ZCreateUserInput, ZUpdateUserInput, type CreateUserInput, type UpdateUserInput } from '@/lib/schemas/users';
import { api } from '@/trpc/react';

export type EditableUser = {
  id: number;
  email: string;
  name: string;
  roleId: number;
  resellerId: number | null;
  resellerName: string | null;
  isActive: boolean;
};

/** One form for both: create reads the email, edit reads Active and the row's id. */
type UserFormInput = z.input<typeof ZCreateUserInput> & Omit<z.input<typeof ZUpdateUserInput>, 'id'>;

const { TextField, SelectField, CheckboxField } = formFields<UserFormInput>();

/** Create (no `user`) or edit a user. Selects show ids as text; the form holds them as the schema's numbers. */
export function UserFormDialog({
  open,
  onOpenChange,
  user,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  user?: EditableUser;
}) {
  const roles = api.users.roles.useQuery();
  // Linking a user to a reseller is part of users.manage, so the names come from a users procedure.
  const resellers = api.users.resellerOptions.useQuery();
  const form = useSchemaForm<UserFormInput, CreateUserInput | UpdateUserInput>({
    resolver: user
      ? schemaResolver(ZUpdateUserInput, (v: UserFormInput) => ({ ...v, id: user.id }))
      : schemaResolver(ZCreateUserInput, (v: UserFormInput) => v),
    defaultValues: {
      email: user?.email ?? '',
      name: user?.name ?? '',
      password: '',
      roleId: user?.roleId,
      resellerId: user?.resellerId ?? null,
      isActive: user?.isActive ?? true,
    },
  });
  const roleId = useWatch({ control: form.control, name: 'roleId' });

  const utils = api.useUtils();
  const done = {
    onSuccess: async () => {
      await utils.users.list.invalidate();
      await utils.resellers.list.invalidate();
      onOpenChange(false);
    },
    onError: (e: unknown) => setServerErrors(form, e),
  };
  const create = api.users.create.useMutation(done);
  const update = api.users.update.useMutation(done);
  const saving = create.isPending || update.isPending;
  const save = (v: CreateUserInput | UpdateUserInput) => ('id' in v ? update.mutate(v) : create.mutate(v));

  const resellerOptions =
    resellers.data ?? (user?.resellerId ? [{ id: user.resellerId, name: user.resellerName ?? `#${user.resellerId}` }] : []);

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={user ? `Edit ${user.email}` : 'Add user'} testId="user-form-dialog">
      <Form form={form} onSubmit={save}>
        <div className="space-y-3 px-5 py-4">
          {user ? (
            <p className="text-sm text-slate-600">
              Email: <span className="font-medium text-slate-900">{user.email}</span>
            </p>
          ) : (
            <TextField name="email" label="Email" required type="email" autoComplete="off" />
          )}
          <TextField name="name" label="Name" autoComplete="off" />
          <TextField
            name="password"
            label={user ? 'New password' : 'Password'}
            required={!user}
            type="password"
            autoComplete="new-password"
            placeholder={user ? 'unchanged — leave empty to keep' : undefined}
            hint="At least 10 characters."
          />
          <SelectField
            name="roleId"
            label="Role"
            required
            toValue={(s) => (s ? Number(s) : undefined)}
            hint={roles.data?.find((r) => r.id === roleId)?.description}
          >
            <option value="">{roles.isLoading ? 'Loading…' : 'Choose a role'}</option>
            {roles.data?.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            name="resellerId"
            label="Reseller"
            toValue={(s) => (s ? Number(s) : null)}
            hint="A user linked to a reseller sees only that reseller's NAS devices."
          >
            <option value="">None (sees all NAS)</option>
            {resellerOptions.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </SelectField>
          {user && <CheckboxField name="isActive" label="Active" hint="A disabled user cannot sign in." />}
          <FormStrayErrors />
        </div>
        <DialogFooter>
          <Button onClick={() => onOpenChange(false)} disabled={saving}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" disabled={saving} data-testid="user-form-save">
            {saving && <Spinner />}
            {saving ? 'Saving…' : 'Save'}
          </Button>
        </DialogFooter>
      </Form>
    </Dialog>
  );
}
