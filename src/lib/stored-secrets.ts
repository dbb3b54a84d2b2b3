import { canonicalIp } from './ip-address';

/**
 * A stored secret only ever goes to the device it was saved for. An empty secret field means "keep the
 * stored one" only while the values it is sent with still point where it was saved: otherwise anyone who may
 * edit a NAS could point it at a host of theirs and receive the password (the API login sends it in clear) or
 * a CoA packet signed with the RADIUS secret. Shared by the form (to ask before sending) and the server (which
 * decides).
 */
export const RETYPE_API_PASSWORD = 'Retype the API password: the API address changed';
export const RETYPE_SECRET = 'Retype the secret: the IP address or CoA port changed';

export interface ApiEndpointFields {
  ipAddress: string;
  apiHost: string;
  apiPort: number | string;
  apiSslPort: number | string;
  useSsl: boolean;
  apiUsername: string;
}

export interface RadiusEndpointFields {
  ipAddress: string;
  coaPort: number | string;
}

/** Host, port, TLS mode and username the API password is sent to. */
export function apiEndpoint(f: ApiEndpointFields): string {
  const host = hostKey(f.apiHost.trim() || f.ipAddress);
  const port = Number(f.useSsl ? f.apiSslPort : f.apiPort);
  return `${f.useSsl ? 'tls' : 'plain'} ${f.apiUsername} @ ${host}:${port}`;
}

export function storedApiPasswordApplies(stored: ApiEndpointFields, next: ApiEndpointFields): boolean {
  return apiEndpoint(stored) === apiEndpoint(next);
}

export function storedSecretApplies(stored: RadiusEndpointFields, next: RadiusEndpointFields): boolean {
  return hostKey(stored.ipAddress) === hostKey(next.ipAddress) && Number(stored.coaPort) === Number(next.coaPort);
}

function hostKey(host: string): string {
  const h = host.trim();
  return canonicalIp(h) ?? h.toLowerCase().replace(/\.$/, '');
}
