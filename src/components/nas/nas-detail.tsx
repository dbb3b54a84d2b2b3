'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useCan } from '@/components/actor-context';
import { BackLink } from '@/components/ui/back-link';
import { Badge } from '@/components/ui/badge';
import { Button, buttonClass } from '@/components/ui/button';
import { errorCode, errorMessage } from '@/components/ui/error-text';
import { PencilIcon, TrashIcon, WrenchIcon } from '@/components/ui/icons';
import { DefinitionList, PageHeader, Section } from '@/components/ui/page-header';
import { RelativeTime } from '@/components/ui/relative-time';
import { NasTorchEntry } from '@/components/torch/nas-torch-entry';
import type { NasDetail } from '@/trpc/types';
import { api } from '@/trpc/react';
import { ApiBadge, OnlineBadge, SecretBadge } from './nas-badges';
import { NasCertificate } from './nas-certificate';
import { NasDashboard } from './nas-dashboard';
import { NasDeleteDialog, NasFormDialog } from './lazy-dialogs';
import { NasHistory } from './nas-history';
import { NasNotFound } from './nas-not-found';
import { NasPoolsSection } from './nas-pools-section';
import { TestConnectionPanel } from './test-connection-panel';
import { TotalUsersLink } from './total-users-link';

const muted = (s: string) => <span className="text-slate-400">{s}</span>;
const orDash = (s: string) => (s ? s : muted('—'));

export function NasDetailView({ id }: { id: number }) {
  const nas = api.nas.get.useQuery({ id }, { retry: false });
  if (nas.error) {
    return errorCode(nas.error) === 'NOT_FOUND' ? (
      <NasNotFound />
    ) : (
      <p className="text-sm text-red-600" role="alert">
        Could not load the NAS: {errorMessage(nas.error)}
      </p>
    );
  }
  if (!nas.data) return <p className="text-sm text-slate-500">Loading…</p>;
  return <NasDetailLoaded nas={nas.data} />;
}

function NasDetailLoaded({ nas }: { nas: NasDetail }) {
  const can = useCan();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);

  return (
    <div data-testid="nas-detail" data-nas-id={nas.id}>
      <BackLink href="/nas">NAS / Routers</BackLink>
      <PageHeader
        title={
          <span className="flex items-center gap-2">
            {nas.name}
            {nas.shortName && nas.shortName !== nas.name && <Badge tone="blue">{nas.shortName}</Badge>}
          </span>
        }
        subtitle={`${nas.ipAddress} · ${nas.type}`}
        actions={
          <>
            {can('nas.edit') && (
              <Button onClick={() => setEditing(true)} aria-label={`Edit ${nas.name}`} data-testid="nas-edit-button">
                <PencilIcon /> Edit
              </Button>
            )}
            <Link href={`/diagnostics?nas_id=${nas.id}`} className={buttonClass('secondary')} data-testid="nas-diagnostics-link">
              <WrenchIcon /> Diagnostic Tools
            </Link>
            {can('nas.delete') && (
              <Button onClick={() => setDeleting(true)} aria-label={`Delete ${nas.name}`} data-testid="nas-delete-button">
                <TrashIcon /> Delete
              </Button>
            )}
          </>
        }
      />

      {/* One column of sections per side; later panels (IP pools, Test connection) are appended as more Sections. */}
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <div className="xl:col-span-2">
          <Section title="Dashboard" testId="nas-section-dashboard">
            <NasDashboard nasId={nas.id} />
          </Section>
        </div>

        <Section title="Status" testId="nas-section-status">
          <DefinitionList
            items={[
              {
                label: 'Status',
                value: (
                  <span className="flex flex-wrap gap-1">
                    <OnlineBadge isOnline={nas.isOnline} />
                    {!nas.isActive && (
                      <Badge tone="amber" data-testid="inactive-badge">
                        inactive
                      </Badge>
                    )}
                  </span>
                ),
              },
              { label: 'Last seen', value: <RelativeTime iso={nas.lastSeen} testId="last-seen" /> },
              { label: 'Version', value: orDash(nas.version), testId: 'nas-version' },
              { label: 'Active sessions', value: nas.activeSessions, testId: 'active-sessions' },
              { label: 'Total users', value: <TotalUsersLink nasId={nas.id} count={nas.totalUsers} /> },
            ]}
          />
        </Section>

        <Section title="Identification" testId="nas-section-identification">
          <DefinitionList
            items={[
              { label: 'Name', value: nas.name },
              { label: 'Short Name', value: nas.shortName || muted(`${nas.name} (name)`) },
              { label: 'IP Address', value: <span className="font-mono text-xs">{nas.ipAddress}</span>, testId: 'nas-ip' },
              { label: 'Type', value: nas.type },
              { label: 'Is Active', value: nas.isActive ? 'yes' : 'no' },
              { label: 'Description', value: orDash(nas.description) },
            ]}
          />
        </Section>

        <Section title="RADIUS" testId="nas-section-radius">
          <DefinitionList
            items={[
              { label: 'Secret', value: <SecretBadge hasSecret={nas.hasSecret} unreadable={nas.secretUnreadable} /> },
              { label: 'Auth Port', value: nas.authPort },
              { label: 'Acct Port', value: nas.acctPort },
              { label: 'CoA Port', value: nas.coaPort },
              {
                label: 'Message-Authenticator',
                value: nas.requireMessageAuthenticator ? 'required' : 'not required (BlastRADIUS exposure)',
              },
            ]}
          />
        </Section>

        <Section title="MikroTik API" testId="nas-section-api">
          {nas.type === 'generic' ? (
            <p className="text-sm text-slate-500">Generic NAS: the RouterOS API is not used.</p>
          ) : (
            <DefinitionList
              items={[
                { label: 'API', value: <ApiBadge hasApiPassword={nas.hasApiPassword} unreadable={nas.apiPasswordUnreadable} /> },
                { label: 'API Username', value: orDash(nas.apiUsername) },
                { label: 'API Host', value: nas.apiHost || muted(`${nas.ipAddress} (IP address)`) },
                { label: 'API Port', value: nas.apiPort },
                { label: 'API SSL Port', value: nas.apiSslPort },
                { label: 'Use SSL', value: nas.useSsl ? 'yes' : 'no' },
                ...(nas.useSsl ? [{ label: 'Certificate', value: <NasCertificate nas={nas} /> }] : []),
              ]}
            />
          )}
        </Section>

        <Section title="Pools & realms" testId="nas-section-pools-config">
          <DefinitionList
            items={[
              { label: 'Subscriber Pools', value: orDash(nas.subscriberPools.split(',').join(', ')) },
              { label: 'Allowed Realms', value: nas.allowedRealms ? nas.allowedRealms.split(',').join(', ') : muted('any realm') },
            ]}
          />
        </Section>

        <Section title="Resellers" testId="nas-section-resellers">
          {nas.resellers.length === 0 ? (
            <p className="text-sm text-slate-500">Not assigned to any reseller.</p>
          ) : (
            <ul className="flex flex-wrap gap-1.5" data-testid="nas-resellers">
              {nas.resellers.map((r) => (
                <li key={r.id}>
                  {can('resellers.manage') ? (
                    <Link href={`/resellers/${r.id}`} className="hover:underline max-md:inline-flex max-md:min-h-10 max-md:items-center">
                      <Badge tone="blue">{r.name}</Badge>
                    </Link>
                  ) : (
                    <Badge tone="blue">{r.name}</Badge>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Section>

        <div className="xl:col-span-2">
          <Section title="IP pools" testId="nas-section-ip-pools">
            <NasPoolsSection nasId={nas.id} hasApi={nas.hasApiCredentials} />
          </Section>
        </div>

        {can('nas.edit') && (
          <div className="xl:col-span-2">
            <Section title="Test connection" testId="nas-section-test-connection">
              <TestConnectionPanel input={() => ({ id: nas.id })} />
            </Section>
          </div>
        )}

        <NasTorchEntry nas={nas} />

        <div className="xl:col-span-2">
          <Section title="Recent history" testId="nas-section-history">
            <NasHistory nasId={nas.id} />
          </Section>
        </div>
      </div>

      {editing && <NasFormDialog open onOpenChange={setEditing} nasId={nas.id} />}
      {deleting && <NasDeleteDialog open onOpenChange={setDeleting} nas={nas} onDeleted={() => router.push('/nas')} />}
    </div>
  );
}
