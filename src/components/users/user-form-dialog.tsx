'use client';

import { useState } from 'react';
import { Button, Spinner } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { errorMessage } from '@/components/ui/error-text';
import { CheckboxField, FormError, SelectField, TextField } from '@/components/ui/field';
import { fieldErrorsOf, type FieldErrors } from '@/lib/schemas/field-errors';
import { ZCreateUserInput, ZUpdateUserInput } from '@/lib/schemas/users';
import { api, fieldErrorsFrom } from '@/trpc/react';

export type EditableUser = {
  id: number;
  email: string;
  name: string;
  roleId: number;
  resellerId: number | null;
  resellerName: string | null;
  isActive: boolean;
};

const FIELDS = new Set(['email', 'name', 'password', 'roleId', 'resellerId', 'isActive']);

/** Create (no `user`) or edit a user. Selects hold ids as strings; the shared schema checks the numbers. */
export function UserFormDialog({ open, onOpenChange, user }: { open: boolean; onOpenChange: (open: boolean) => void; user?: EditableUser }) {
  const roles = api.users.roles.useQuery();
  // Linking a user to a reseller is part of users.manage, so the names come from a users procedure.
  const resellers = api.users.resellerOptions.useQuery();
  const [v, setV] = useState({
    email: user?.email ?? '',
    name: user?.name ?? '',
    password: '',
    roleId: user ? String(user.roleId) : '',
    resellerId: user?.resellerId ? String(user.resellerId) : '',
    isActive: user?.isActive ?? true,
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const utils = api.useUtils();
  const done = {
    onSuccess: async () => {
      await utils.users.list.invalidate();
      await utils.resellers.list.invalidate();
      onOpenChange(false);
    },
    onError: (e: unknown) => {
      const fields = fieldErrorsFrom(e);
      setErrors(fields);
      setFormError(Object.keys(fields).some((k) => FIELDS.has(k)) ? null : errorMessage(e));
    },
  };
  const create = api.users.create.useMutation(done);
  const update = api.users.update.useMutation(done);
  const saving = create.isPending || update.isPending;

  function submit(e: React.FormEvent) {
    e.preventDefault();
    setFormError(null);
    const common = {
      name: v.name,
      password: v.password,
      roleId: v.roleId ? Number(v.roleId) : undefined,
      resellerId: v.resellerId ? Number(v.resellerId) : null,
    };
    if (user) {
      const r = ZUpdateUserInput.safeParse({ ...common, id: user.id, isActive: v.isActive });
      setErrors(r.success ? {} : fieldErrorsOf(r.error));
      if (r.success) update.mutate(r.data);
    } else {
      const r = ZCreateUserInput.safeParse({ ...common, email: v.email });
      setErrors(r.success ? {} : fieldErrorsOf(r.error));
      if (r.success) create.mutate(r.data);
    }
  }

  const text = (key: 'email' | 'name' | 'password') => ({
    name: key,
    value: v[key],
    error: errors[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setV((s) => ({ ...s, [key]: e.target.value })),
  });

  const resellerOptions =
    resellers.data ?? (user?.resellerId ? [{ id: user.resellerId, name: user.resellerName ?? `#${user.resellerId}` }] : []);

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={user ? `Edit ${user.email}` : 'Add user'} testId="user-form-dialog">
      <form onSubmit={submit} noValidate>
        <div className="space-y-3 px-5 py-4">
          {user ? (
            <p className="text-sm text-slate-600">
              Email: <span className="font-medium text-slate-900">{user.email}</span>
            </p>
          ) : (
            <TextField label="Email" required type="email" autoComplete="off" {...text('email')} />
          )}
          <TextField label="Name" autoComplete="off" {...text('name')} />
          <TextField
            label={user ? 'New password' : 'Password'}
            required={!user}
            type="password"
            autoComplete="new-password"
            placeholder={user ? 'unchanged — leave empty to keep' : undefined}
            hint="At least 10 characters."
            {...text('password')}
          />
          <SelectField
            label="Role"
            required
            name="roleId"
            value={v.roleId}
            error={errors.roleId}
            hint={roles.data?.find((r) => String(r.id) === v.roleId)?.description}
            onChange={(e) => setV((s) => ({ ...s, roleId: e.target.value }))}
          >
            <option value="">{roles.isLoading ? 'Loading…' : 'Choose a role'}</option>
            {roles.data?.map((r) => (
              <option key={r.id} value={r.id}>{r.name}</option>
            ))}
          </SelectField>
          <SelectField
            label="Reseller"
            name="resellerId"
            value={v.resellerId}
            error={errors.resellerId}
            hint="A user linked to a reseller sees only that reseller's NAS devices."
            onChange={(e) => setV((s) => ({ ...s, resellerId: e.target.value }))}
          >
            <option value="">None (sees all NAS)</option>
            {resellerOptions.map((r) => (
              <option key={r.id} value={r.id}>{r.name}</option>
            ))}
          </SelectField>
          {user && (
            <CheckboxField
              label="Active"
              name="isActive"
              checked={v.isActive}
              error={errors.isActive}
              hint="A disabled user cannot sign in."
              onChange={(e) => setV((s) => ({ ...s, isActive: e.target.checked }))}
            />
          )}
          <FormError message={formError} />
        </div>
        <DialogFooter>
          <Button onClick={() => onOpenChange(false)} disabled={saving}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={saving} data-testid="user-form-save">
            {saving && <Spinner />}
            {saving ? 'Saving…' : 'Save'}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
