// api-ssl trust. Routers present self-signed certificates no CA vouches for, so the panel pins each
// router's certificate by its SHA-256 fingerprint (trust on first use) and checks it after the handshake,
// before the login sends the password. A router without a certificate offers only anonymous
// Diffie-Hellman, which nothing authenticates: used only when the NAS explicitly allows it.
import { connect, DEFAULT_CIPHERS, type TLSSocket, type TlsOptions } from 'node:tls';
import { RouterOsError } from './errors';

export function tlsOptions(allowAnonymous: boolean): TlsOptions {
  // No CA signs a router's certificate: the pin below is the check, not the CA chain.
  const options: TlsOptions = { rejectUnauthorized: false };
  // Anonymous suites need OpenSSL security level 0; they are offered only when the NAS allows them.
  if (allowAnonymous) options.ciphers = `${DEFAULT_CIPHERS.replace(':!aNULL', '')}:@SECLEVEL=0`;
  return options;
}

/** `ab:cd:…`, `ABCD…` or `AB CD …` → `AB:CD:…` (Node's `fingerprint256` form); '' when empty. */
export function normalizeFingerprint(value: string | null | undefined): string {
  const hex = (value ?? '').replace(/[^0-9a-f]/gi, '').toUpperCase();
  return hex.match(/../g)?.join(':') ?? '';
}

/** Enough of a fingerprint to tell two apart in a message; the full one travels in `seenFingerprint`. */
function short(fingerprint: string): string {
  return `${fingerprint.split(':').slice(0, 4).join(':')}…`;
}

/**
 * Checks the certificate of an established api-ssl session against the pin; returns the fingerprint
 * seen (null: anonymous TLS) so the caller can pin it on first use. Throws before anything is sent.
 */
export function checkPeerCertificate(
  socket: TLSSocket,
  trust: { tlsPin?: string; tlsAllowAnonymous?: boolean },
  target: string,
): string | null {
  const cert = socket.getPeerCertificate();
  const seen = typeof cert?.fingerprint256 === 'string' && cert.fingerprint256 !== '' ? cert.fingerprint256 : null;
  const pinned = normalizeFingerprint(trust.tlsPin);
  const details = { target, command: 'login', seenFingerprint: seen };
  if (seen === null && !trust.tlsAllowAnonymous) throw anonymousRefused(target);
  if (pinned === '') return seen;
  if (seen === null) {
    throw new RouterOsError(
      'certificate',
      `the router's api-ssl no longer presents a certificate (pinned ${short(pinned)}, now anonymous TLS): if the certificate was removed on purpose, trust anonymous TLS on the NAS page`,
      details,
    );
  }
  if (normalizeFingerprint(seen) !== pinned) {
    throw new RouterOsError(
      'certificate',
      `the router's api-ssl certificate changed (pinned ${short(pinned)}, now ${short(seen)}): if you replaced it, trust the new certificate on the NAS page`,
      details,
    );
  }
  return seen;
}

export function anonymousRefused(target: string): RouterOsError {
  return new RouterOsError(
    'tls',
    `${target} offers only anonymous TLS (api-ssl without a certificate), which nothing authenticates: allow anonymous TLS on the NAS, or install a certificate on the router's api-ssl service`,
    { target, command: 'login' },
  );
}

/**
 * After a failed handshake without anonymous suites: does the router complete one offering only those?
 * Then it has no certificate, and the operator needs to hear that rather than "handshake failure".
 * Sends nothing over the connection and gives up at the deadline.
 */
export function offersOnlyAnonymousTls(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port,
      rejectUnauthorized: false,
      ciphers: 'aNULL:@SECLEVEL=0',
      maxVersion: 'TLSv1.2',
    });
    const finish = (anonymous: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(anonymous);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('secureConnect', () => finish(!socket.getPeerCertificate()?.fingerprint256));
    socket.on('error', () => finish(false));
    socket.once('close', () => finish(false));
  });
}
