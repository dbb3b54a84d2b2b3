'use client';

import dynamic from 'next/dynamic';
import { useState } from 'react';
import { Button } from '@/components/ui/button';

// Loaded on first open, like the other dialogs of the page.
const SubscriberImportDialog = dynamic(() => import('./import-dialog').then((m) => m.SubscriberImportDialog), { ssr: false });

/** The list header's Import CSV button and its dialog. */
export function SubscriberImportButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="subscriber-import-button">
        Import CSV
      </Button>
      {open && <SubscriberImportDialog open onOpenChange={setOpen} />}
    </>
  );
}
