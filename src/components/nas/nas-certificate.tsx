'use client';

import { useCan } from '@/components/actor-context';
import { Button, Spinner } from '@/components/ui/button';
import { errorMessage } from '@/components/ui/error-text';
import type { NasDetail } from '@/trpc/types';
import { api } from '@/trpc/react';

/**
 * The router's api-ssl certificate as the panel knows it: pinned on first use, and any different one the
 * router presented since, which someone with nas.edit may trust after checking it on the router
 * (`/certificate print` shows its fingerprint).
 */
export function NasCertificate({ nas }: { nas: NasDetail }) {
  const can = useCan();
  const utils = api.useUtils();
  const trust = api.nas.trustCertificate.useMutation({
    onSuccess: () => Promise.all([utils.nas.get.invalidate({ id: nas.id }), utils.nas.history.invalidate({ id: nas.id })]),
  });
  const seen = nas.tlsSeenFingerprint;
  return (
    <div className="space-y-1.5" data-testid="nas-certificate">
      <div className="break-all font-mono text-xs" data-testid="nas-certificate-pinned">
        {nas.tlsFingerprint
          ? `SHA-256 ${nas.tlsFingerprint}`
          : nas.tlsAllowAnonymous
            ? 'anonymous TLS allowed (no certificate to pin)'
            : 'not pinned yet: the first connection pins it'}
      </div>
      {seen && (
        <div role="alert" className="space-y-1.5 rounded-md bg-amber-50 p-2 text-xs text-amber-900" data-testid="nas-certificate-changed">
          <p>
            {seen === 'none' ? (
              'The router no longer presents a certificate (anonymous TLS). The panel stopped using its API.'
            ) : (
              <>
                The router now presents another certificate: <span className="break-all font-mono">SHA-256 {seen}</span>. The panel stopped
                using its API until you trust it.
              </>
            )}
          </p>
          {can('nas.edit') && (
            <Button
              onClick={() => trust.mutate({ id: nas.id, fingerprint: seen })}
              disabled={trust.isPending}
              data-testid="nas-trust-certificate"
            >
              {trust.isPending && <Spinner />} {seen === 'none' ? 'Allow anonymous TLS' : 'Trust the new certificate'}
            </Button>
          )}
          {trust.error && <p className="text-red-700">{errorMessage(trust.error)}</p>}
        </div>
      )}
    </div>
  );
}
