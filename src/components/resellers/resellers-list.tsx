'use client';

import Link from 'next/link';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { errorMessage } from '@/components/ui/error-text';
import { PlusIcon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableMessage, Td, Th, Tr } from '@/components/ui/table';
import { api } from '@/trpc/react';
import { ResellerCreateDialog } from './reseller-create-dialog';

export function ResellersList() {
  const list = api.resellers.list.useQuery();
  const [creating, setCreating] = useState(false);
  return (
    <div>
      <PageHeader
        title="Resellers"
        subtitle="A reseller sees only the NAS devices assigned to it. Open a reseller to change its assignments."
        actions={
          <Button variant="primary" onClick={() => setCreating(true)} data-testid="reseller-add-button">
            <PlusIcon /> Add reseller
          </Button>
        }
      />
      <Table testId="resellers-table" cards>
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Contact email</Th>
            <Th className="text-right">NAS</Th>
            <Th className="text-right">Users</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {list.error ? (
            <TableMessage colSpan={4}>
              <span className="text-red-600">Could not load resellers: {errorMessage(list.error)}</span>
            </TableMessage>
          ) : !list.data ? (
            <TableMessage colSpan={4}>Loading…</TableMessage>
          ) : list.data.length === 0 ? (
            <TableMessage colSpan={4} testId="resellers-empty">
              No resellers yet
            </TableMessage>
          ) : (
            list.data.map((r) => (
              <Tr key={r.id} data-testid={`reseller-row-${r.id}`}>
                <Td cell="title">
                  <Link href={`/resellers/${r.id}`} className="font-medium text-slate-900 hover:text-sky-700 hover:underline">
                    {r.name}
                  </Link>
                </Td>
                <Td label="Contact email">{r.contactEmail || <span className="text-slate-400">—</span>}</Td>
                <Td label="NAS" className="text-right tabular-nums">
                  <span data-testid="reseller-nas-count">{r.nasCount}</span>
                </Td>
                <Td label="Users" className="text-right tabular-nums">
                  <span data-testid="reseller-user-count">{r.userCount}</span>
                </Td>
              </Tr>
            ))
          )}
        </tbody>
      </Table>
      {creating && <ResellerCreateDialog open onOpenChange={setCreating} />}
    </div>
  );
}
