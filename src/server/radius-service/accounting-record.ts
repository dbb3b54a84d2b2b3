import { createHash } from 'node:crypto';

/** Acct-Status-Type values (RFC 2866, RFC 2866 §5.1 and RFC 3576's On/Off). */
export const AcctStatus = { Start: 1, Stop: 2, InterimUpdate: 3, AccountingOn: 7, AccountingOff: 8 } as const;

/** Acct-Terminate-Cause (RFC 2866 §5.10), stored by name as FreeRADIUS does. */
const TERMINATE_CAUSES: Record<number, string> = {
  1: 'User-Request',
  2: 'Lost-Carrier',
  3: 'Lost-Service',
  4: 'Idle-Timeout',
  5: 'Session-Timeout',
  6: 'Admin-Reset',
  7: 'Admin-Reboot',
  8: 'Port-Error',
  9: 'NAS-Error',
  10: 'NAS-Request',
  11: 'NAS-Reboot',
  12: 'Port-Unneeded',
  13: 'Port-Preempted',
  14: 'Port-Suspended',
  15: 'Service-Unavailable',
  16: 'Callback',
  17: 'User-Error',
  18: 'Host-Request',
  19: 'Supplicant-Restart',
  20: 'Reauthentication-Failure',
  21: 'Port-Reinitialized',
  22: 'Port-Administratively-Disabled',
};

export function terminateCauseName(code: number | undefined): string | null {
  if (code === undefined) return null;
  return TERMINATE_CAUSES[code] ?? `Unknown-${code}`;
}

/** One Accounting-Request, as the writer stores it (attribute values already decoded by the packet layer). */
export interface AccountingRecord {
  statusType: number;
  userName: string;
  sessionId: string;
  /** FreeRADIUS's acct_unique policy: MD5 over the attributes that name a session (see `acctUniqueId`). */
  uniqueId: string;
  realm: string | null;
  nasPortId: string | null;
  nasPortType: string | null;
  eventTime: Date;
  sessionTime: number | null;
  inputOctets: number | null;
  outputOctets: number | null;
  terminateCause: string | null;
  framedIp: string | null;
  framedIpv6Address: string | null;
  framedIpv6Prefix: string | null;
  delegatedIpv6Prefix: string | null;
  framedInterfaceId: string | null;
  callingStationId: string | null;
  calledStationId: string | null;
  serviceType: string | null;
  framedProtocol: string | null;
  acctAuthentic: string | null;
  connectInfo: string | null;
  class: string | null;
}

/**
 * FreeRADIUS's `acct_unique` policy (policy.d/accounting): MD5 of "User-Name,Acct-Session-Id,NAS-IP-Address
 * (or NAS-IPv6-Address),NAS-Identifier,NAS-Port-Id,NAS-Port", missing ones empty. The same key as FreeRADIUS,
 * so the two can share one radacct.
 */
export function acctUniqueId(a: {
  userName?: string;
  sessionId?: string;
  nasIpAddress?: string;
  nasIdentifier?: string;
  nasPortId?: string;
  nasPort?: number | string;
}): string {
  const text = [a.userName ?? '', a.sessionId ?? '', a.nasIpAddress ?? '', a.nasIdentifier ?? '', a.nasPortId ?? '', a.nasPort ?? ''].join(
    ',',
  );
  return createHash('md5').update(text).digest('hex');
}

/** Octets with their Gigawords (RFC 2869: the high 32 bits), as one number (exact below 2^53). */
export function octets(low: number | undefined, gigawords: number | undefined): number | null {
  if (low === undefined && gigawords === undefined) return null;
  return (gigawords ?? 0) * 2 ** 32 + (low ?? 0);
}

/** When the event happened: Event-Timestamp, else now minus Acct-Delay-Time (RFC 2866 §5.2). */
export function eventTime(eventTimestamp: Date | number | undefined, delaySeconds: number | undefined, now = Date.now()): Date {
  if (eventTimestamp instanceof Date) return eventTimestamp;
  if (typeof eventTimestamp === 'number') return new Date(eventTimestamp * 1000);
  return new Date(now - (delaySeconds ?? 0) * 1000);
}
