'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { BoltIcon } from '@/components/ui/icons';
import type { TestConnectionInput } from '@/lib/schemas/nas';
import type { NasFormApi } from './nas-form-dialog';
import { TestConnectionDialog } from './test-connection-dialog';

/**
 * The spec's workflow: fill the form, Test Connection, then Save. Tests the values typed so far; on edit, an
 * empty secret or API password means the stored one, which the server fills in.
 */
export function FormTestConnection({ form }: { form: NasFormApi }) {
  const [input, setInput] = useState<TestConnectionInput | null>(null);

  function open() {
    const r = form.validate();
    if (!r.ok) return; // field errors are now shown under their inputs
    const d = r.data;
    setInput({
      id: r.mode === 'edit' ? r.data.id : undefined,
      values: {
        ipAddress: d.ipAddress, type: d.type, authPort: d.authPort, acctPort: d.acctPort, coaPort: d.coaPort,
        apiUsername: d.apiUsername, apiPort: d.apiPort, apiSslPort: d.apiSslPort, useSsl: d.useSsl, tlsAllowAnonymous: d.tlsAllowAnonymous, apiHost: d.apiHost,
        secret: d.secret, apiPassword: d.apiPassword,
      },
    });
  }

  return (
    <>
      <Button onClick={open} data-testid="nas-form-test-connection">
        <BoltIcon /> Test connection
      </Button>
      {input && (
        <TestConnectionDialog open onOpenChange={(o) => !o && setInput(null)} title={form.target.mode === 'edit' ? form.target.nas.name : 'new NAS'} input={() => input} />
      )}
    </>
  );
}
