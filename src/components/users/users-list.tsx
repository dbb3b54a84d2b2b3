'use client';

import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { errorMessage } from '@/components/ui/error-text';
import { PencilIcon, PlusIcon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableMessage, Td, Th, Tr } from '@/components/ui/table';
import { api } from '@/trpc/react';
import { UserFormDialog, type EditableUser } from './user-form-dialog';

export function UsersList() {
  const users = api.users.list.useQuery();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<EditableUser | null>(null);

  return (
    <div>
      <PageHeader
        title="Users"
        subtitle="Who can sign in, with which role, and for which reseller."
        actions={
          <Button variant="primary" onClick={() => setCreating(true)} data-testid="user-add-button">
            <PlusIcon /> Add user
          </Button>
        }
      />
      <Table testId="users-table" cards>
        <thead>
          <tr>
            <Th>Email</Th>
            <Th>Name</Th>
            <Th>Role</Th>
            <Th>Reseller</Th>
            <Th>Active</Th>
            <Th className="text-right">Actions</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {users.error ? (
            <TableMessage colSpan={6}>
              <span className="text-red-600">Could not load users: {errorMessage(users.error)}</span>
            </TableMessage>
          ) : !users.data ? (
            <TableMessage colSpan={6}>Loading…</TableMessage>
          ) : (
            users.data.map((u) => (
              <Tr key={u.id} data-testid={`user-row-${u.id}`} data-user-email={u.email}>
                <Td cell="title" className="font-medium text-slate-900 wrap-anywhere">
                  {u.email}
                </Td>
                <Td label="Name">{u.name || <span className="text-slate-400">—</span>}</Td>
                <Td label="Role">
                  <Badge tone="blue">{u.roleName}</Badge>
                </Td>
                <Td label="Reseller">{u.resellerName ?? <span className="text-slate-400">—</span>}</Td>
                <Td label="Active">{u.isActive ? <Badge tone="green">active</Badge> : <Badge tone="grey">disabled</Badge>}</Td>
                <Td cell="actions" className="text-right">
                  <Button size="icon" variant="ghost" aria-label={`Edit ${u.email}`} title="Edit" onClick={() => setEditing(u)}>
                    <PencilIcon />
                  </Button>
                </Td>
              </Tr>
            ))
          )}
        </tbody>
      </Table>
      {creating && <UserFormDialog open onOpenChange={setCreating} />}
      {editing && <UserFormDialog open onOpenChange={(o) => !o && setEditing(null)} user={editing} />}
    </div>
  );
}
