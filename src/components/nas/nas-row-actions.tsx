'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useCan } from '@/components/actor-context';
import { Button, buttonClass, Spinner } from '@/components/ui/button';
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

  return (
    <div className="flex items-center justify-end gap-0.5" data-testid={`nas-actions-${nas.id}`}>
      {can('nas.edit') && (
        <Button
          size="icon"
          variant="ghost"
          aria-label={`Edit ${nas.name}`}
          title="Edit"
          onClick={() => setEditing(true)}
          data-testid="nas-edit-button"
        >
          <PencilIcon />
        </Button>
      )}
      {can('nas.edit') && (
        <Button
          size="icon"
          variant="ghost"
          aria-label={`Sync pools of ${nas.name}`}
          title={canSync ? 'Sync pools: re-import the router’s IP pools' : 'Sync pools needs MikroTik API credentials'}
          disabled={!canSync || syncing}
          onClick={() => sync.mutate({ id: nas.id })}
          data-testid="nas-sync-button"
        >
          {syncing ? <Spinner /> : <SyncIcon />}
        </Button>
      )}
      {can('nas.edit') && (
        <Button
          size="icon"
          variant="ghost"
          aria-label={`Test connection to ${nas.name}`}
          title="Test connection"
          onClick={() => setTesting(true)}
          data-testid="nas-test-button"
        >
          <BoltIcon />
        </Button>
      )}
      <Link
        href={`/diagnostics?nas_id=${nas.id}`}
        className={buttonClass('ghost', 'icon')}
        aria-label={`Diagnostic Tools for ${nas.name}`}
        title="Diagnostic Tools"
        data-testid="nas-diagnostics-link"
      >
        <WrenchIcon />
      </Link>
      {can('nas.delete') && (
        <Button
          size="icon"
          variant="ghost"
          className="hover:bg-red-50! hover:text-red-600!"
          aria-label={`Delete ${nas.name}`}
          title="Delete"
          onClick={() => setDeleting(true)}
          data-testid="nas-delete-button"
        >
          <TrashIcon />
        </Button>
      )}

      {/* Mounted only while open: a table of 100 rows should not hold 200 idle dialogs and queries. */}
      {editing && <NasFormDialog open onOpenChange={setEditing} nasId={nas.id} />}
      {deleting && <NasDeleteDialog open onOpenChange={setDeleting} nas={nas} />}
      {testing && <TestConnectionDialog open onOpenChange={setTesting} title={nas.name} input={() => ({ id: nas.id })} />}
    </div>
  );
}
