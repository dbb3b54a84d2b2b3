'use client';

import { useState } from 'react';
import { useFormContext } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { BoltIcon } from '@/components/ui/icons';
import type { TestConnectionInput } from '@/lib/schemas/nas';
import type { NasFormInput, NasFormOutput } from './nas-form-values';
import { TestConnectionDialog } from './test-connection-dialog';

/**
 * The spec's workflow: fill the form, Test Connection, then Save. Tests the values typed so far, checked by
 * the same resolver as Save (field errors show under their inputs); on edit, an empty secret or API password
 * means the stored one, which the server fills in.
 */
export function FormTestConnection({ title }: { title: string }) {
  const { handleSubmit } = useFormContext<NasFormInput, unknown, NasFormOutput>();
  const [input, setInput] = useState<TestConnectionInput | null>(null);

  const open = handleSubmit((d) =>
    setInput({
      id: 'id' in d ? d.id : undefined,
      values: {
        ipAddress: d.ipAddress,
        type: d.type,
        authPort: d.authPort,
        acctPort: d.acctPort,
        coaPort: d.coaPort,
        apiUsername: d.apiUsername,
        apiPort: d.apiPort,
        apiSslPort: d.apiSslPort,
        useSsl: d.useSsl,
        tlsAllowAnonymous: d.tlsAllowAnonymous,
        apiHost: d.apiHost,
        secret: d.secret,
        apiPassword: d.apiPassword,
      },
    }),
  );

  return (
    <>
      <Button onClick={() => open()} data-testid="nas-form-test-connection">
        <BoltIcon /> Test connection
      </Button>
      {input && <TestConnectionDialog open onOpenChange={(o) => !o && setInput(null)} title={title} input={() => input} />}
    </>
  );
}
