'use client';

import { Dialog } from '@/components/ui/dialog';
import type { TestConnectionInput } from '@/lib/schemas/nas';
import { TestConnectionPanel } from './test-connection-panel';

/** Test connection from a table row or from the form, in its own dialog; the test starts on open. */
export function TestConnectionDialog({
  open,
  onOpenChange,
  title,
  input,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  input: () => TestConnectionInput | null;
}) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Test connection: ${title}`}
      width="max-w-2xl"
      testId="test-connection-dialog"
      description="RADIUS, MikroTik API and CoA, checked in parallel; all three should be green before the NAS is ready."
    >
      <div className="p-5">
        <TestConnectionPanel input={input} autoRun />
      </div>
    </Dialog>
  );
}
