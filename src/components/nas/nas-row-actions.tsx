'use client';

import { useState } from 'react';
import { useCan } from '@/components/actor-context';
import { RowActions, type RowAction } from '@/components/ui/row-actions';
import { BoltIcon, PencilIcon, SyncIcon, TrashIcon, WrenchIcon } from '@/components/ui/icons';
import { api } from '@/trpc/react';
import { importInProgress } from './pool-import-badge';
import type { NasListItem } from '@/trpc/types';
import { NasDeleteDialog, NasFormDialog, TestConnectionDialog } from './lazy-dialogs';

/**
 * The Actions cell of one NAS row, in the spec's order: Edit, Sync pools, Test connection, Diagnostic Tools,
 * Delete. Each action owns its dialog, so a new one is one more entry here.
 */
export function NasRowActions({ nas }: { nas: NasListItem }) {
  const can = useCan();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [testing, setTesting] = useState(false);
  const utils = api.useUtils();
  const sync = api.nas.importPools.useMutation({ onSettled: () => utils.nas.list.invalidate() });
  const syncing = sync.isPending || importInProgress(nas.poolImportState);
  const canSync = nas.hasApiCredentials;

  const actions: RowAction[] = [];
  if (can('nas.edit')) {
    actions.push(
      { label: 'Edit', ariaLabel: `Edit ${nas.name}`, icon: <PencilIcon />, onSelect: () => setEditing(true), testId: 'nas-edit-button' },
      {
        label: 'Sync pools',
        ariaLabel: `Sync pools of ${nas.name}`,
        icon: <SyncIcon />,
        title: canSync ? 'Sync pools: re-import the router’s IP pools' : 'Sync pools needs MikroTik API credentials',
        disabled: !canSync,
        busy: syncing,
        onSelect: () => sync.mutate({ id: nas.id }),
        testId: 'nas-sync-button',
      },
      {
        label: 'Test connection',
        ariaLabel: `Test connection to ${nas.name}`,
        icon: <BoltIcon />,
        onSelect: () => setTesting(true),
        testId: 'nas-test-button',
      },
    );
  }
  actions.push({
    label: 'Diagnostic Tools',
    ariaLabel: `Diagnostic Tools for ${nas.name}`,
    icon: <WrenchIcon />,
    href: `/diagnostics?nas_id=${nas.id}`,
    testId: 'nas-diagnostics-link',
  });
  if (can('nas.delete')) {
    actions.push({
      label: 'Delete',
      ariaLabel: `Delete ${nas.name}`,
      icon: <TrashIcon />,
      danger: true,
      onSelect: () => setDeleting(true),
      testId: 'nas-delete-button',
    });
  }

  return (
    <div className="flex items-center justify-end gap-0.5" data-testid={`nas-actions-${nas.id}`}>
      <RowActions name={nas.name} actions={actions} testId={`nas-actions-${nas.id}`} />

      {/* Mounted only while open: a table of 100 rows should not hold 200 idle dialogs and queries. */}
      {editing && <NasFormDialog open onOpenChange={setEditing} nasId={nas.id} />}
      {deleting && <NasDeleteDialog open onOpenChange={setDeleting} nas={nas} />}
      {testing && <TestConnectionDialog open onOpenChange={setTesting} title={nas.name} input={() => ({ id: nas.id })} />}
    </div>
  );
}
