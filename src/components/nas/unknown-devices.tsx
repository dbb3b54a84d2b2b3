'use client';

import { useState } from 'react';
import { useCan } from '@/components/actor-context';
import { Button } from '@/components/ui/button';
import { PlusIcon } from '@/components/ui/icons';
import { Section } from '@/components/ui/page-header';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { api } from '@/trpc/react';
import type { RouterOutputs } from '@/trpc/types';
import { NasFormDialog } from './lazy-dialogs';

type UnknownDevice = RouterOutputs['nas']['unknownDevices'][number];

/**
 * RADIUS packets from addresses no NAS has: the RADIUS service dropped them unanswered (as it must) and kept a
 * note, so a router whose source address was mistyped, or one nobody added yet, shows up here with what it said
 * of itself, one click from being added. Shown to those who see every NAS.
 */
export function UnknownDevices() {
  const can = useCan();
  const enabled = can('nas.all');
  const devices = api.nas.unknownDevices.useQuery(undefined, { enabled, refetchInterval: 30_000 });
  const [adding, setAdding] = useState<UnknownDevice | null>(null);
  if (!enabled || !devices.data?.length) return null;
  return (
    <div className="mt-6">
      <Section title="RADIUS packets from unknown devices" testId="unknown-devices">
        <p className="mb-3 text-sm text-slate-500">
          These addresses sent RADIUS requests but match no NAS, so they got no answer. If one is your router, add it (or correct the IP
          Address of its NAS: it must be the address its packets come from).
        </p>
        <Table cards>
          <thead>
            <tr>
              <Th>Source address</Th>
              <Th>NAS-Identifier</Th>
              <Th>NAS-IP-Address</Th>
              <Th className="text-right">Packets</Th>
              <Th>First seen</Th>
              <Th>Last seen</Th>
              <Th className="text-right">Action</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {devices.data.map((d) => (
              <Tr key={d.sourceIp} data-testid={`unknown-device-${d.sourceIp}`}>
                <Td cell="title" className="font-mono text-xs">
                  {d.sourceIp}
                </Td>
                <Td label="NAS-Identifier">{d.nasIdentifier || <span className="text-slate-400">—</span>}</Td>
                <Td label="NAS-IP-Address" className="font-mono text-xs">
                  {d.nasIpAddress || <span className="text-slate-400">—</span>}
                </Td>
                <Td label="Packets" className="text-right tabular-nums">
                  {d.packets}
                </Td>
                <Td label="First seen">
                  <RelativeTime iso={d.firstSeen} />
                </Td>
                <Td label="Last seen">
                  <RelativeTime iso={d.lastSeen} />
                </Td>
                <Td className="text-right">
                  {can('nas.create') && (
                    <Button onClick={() => setAdding(d)} data-testid="unknown-device-add">
                      <PlusIcon /> Add as NAS
                    </Button>
                  )}
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      </Section>
      {adding && (
        <NasFormDialog
          open
          onOpenChange={(o) => !o && setAdding(null)}
          prefill={{ ipAddress: adding.sourceIp, name: adding.nasIdentifier || adding.sourceIp }}
          onSaved={() => void devices.refetch()}
        />
      )}
    </div>
  );
}
