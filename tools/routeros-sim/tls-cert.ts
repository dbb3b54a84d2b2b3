import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SimCertificate {
  context: SecureContext;
  /** SHA-256 fingerprint as Node's `fingerprint256` prints it: `AB:CD:…`. */
  fingerprint256: string;
}

let cached: Promise<SimCertificate> | null = null;
let anonymous: SecureContext | null = null;

/** `/ip service set api-ssl certificate=none`: RouterOS then offers anonymous Diffie-Hellman suites only. */
export function simAnonymousContext(): SecureContext {
  anonymous ??= createSecureContext({
    ciphers: 'ADH-AES256-GCM-SHA384:ADH-AES128-GCM-SHA256:ADH-AES256-SHA256:ADH-AES128-SHA256:ADH-AES256-SHA:@SECLEVEL=0',
    dhparam: 'auto',
    maxVersion: 'TLSv1.2',
  });
  return anonymous;
}

/**
 * One self-signed certificate per process, shared by every simulated api-ssl listener, like
 * the self-signed certificate a real router generates for itself. EC keys make this instant.
 */
export function simSecureContext(): Promise<SimCertificate> {
  cached ??= generateSimCertificate().catch((err: unknown) => {
    cached = null;
    throw err;
  });
  return cached;
}

/** A fresh self-signed certificate, as after `/certificate add` + sign on the router. */
export async function generateSimCertificate(): Promise<SimCertificate> {
  const dir = await mkdtemp(path.join(tmpdir(), 'routeros-sim-cert-'));
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '3650',
      '-subj',
      '/CN=routeros-sim',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    const certPem = await readFile(cert);
    return {
      context: createSecureContext({
        key: await readFile(key),
        cert: certPem,
        // RouterOS api-ssl speaks up to TLS 1.2.
        maxVersion: 'TLSv1.2',
      }),
      fingerprint256: new X509Certificate(certPem).fingerprint256,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
