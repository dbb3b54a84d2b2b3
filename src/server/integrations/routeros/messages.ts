// What the client tells a network engineer when a session fails: one builder per situation, so client.ts is
// the connection state machine only. Messages name the router and the command, never a credential or parameter.
import { RouterOsError, type ConnectionStage } from './errors';

/** 3000 → "3 s", 250 → "0.25 s". */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** `host:port`, with an IPv6 literal in brackets. */
export function formatTarget(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** What the session was doing at `stage`, in words: "connect", "TLS handshake", "login" or the command. */
export function describeActivity(stage: ConnectionStage, command: string | null): { during: string; command: string | null } {
  const during = { tcp: 'connect', tls: 'TLS handshake', login: 'login', command: command ?? 'an idle session' }[stage];
  return { during, command };
}

export function invalidPortError(target: string, host: string, port: number): RouterOsError {
  return new RouterOsError('unreachable', `invalid API port ${port} for ${host}`, { target });
}

/** ROUTER_NETWORKS said no (network-policy.ts words it); no socket was opened. */
export function refusedByPolicyError(target: string, err: Error): RouterOsError {
  return new RouterOsError('refused-by-policy', err.message, { target, command: 'login', cause: err });
}

export function resolveTimeoutError(target: string, ms: number): RouterOsError {
  return new RouterOsError('timeout', `no answer from ${target} within ${seconds(ms)} (host name did not resolve)`, {
    target,
    command: 'login',
  });
}

/** The connect deadline passed; how far the connection got says where to look. */
export function connectTimeoutError(target: string, stage: ConnectionStage, ms: number): RouterOsError {
  const why = {
    tcp: 'TCP connect not answered: host down, filtered, or wrong address',
    tls: 'TCP connected, TLS handshake not answered',
    login: 'TCP connected, API login not answered',
    command: 'connected',
  }[stage];
  return new RouterOsError('timeout', `no answer from ${target} within ${seconds(ms)} (${why})`, { target, command: 'login' });
}

export function commandTimeoutError(target: string, command: string, ms: number): RouterOsError {
  return new RouterOsError('timeout', `no answer from ${target} to ${command} within ${seconds(ms)}`, { target, command });
}

export function loginRefusedError(target: string, said: string): RouterOsError {
  return new RouterOsError('auth', `API login refused: ${said || 'no reason given'}`, {
    target,
    command: 'login',
    routerMessage: said,
  });
}

export function trapError(target: string, command: string, said: string): RouterOsError {
  return new RouterOsError('trap', `router said: ${said || '(no message)'}`, { target, command, routerMessage: said });
}

export function fatalError(target: string, command: string | null, reason: string): RouterOsError {
  return new RouterOsError('fatal', `router closed the session: ${reason}`, { target, command, routerMessage: reason });
}

export function unreadableReplyError(target: string, command: string | null, detail: string): RouterOsError {
  return new RouterOsError('protocol', `router sent an unreadable reply (${detail}); is ${target} a RouterOS API port?`, {
    target,
    command,
  });
}

/** `what` (e.g. "more than 262144 rows") for one command, or for the whole connection, which is then closed. */
export function tooLargeError(target: string, command: string, what: string, scope: 'command' | 'connection'): RouterOsError {
  const closed = scope === 'connection' ? '; connection closed' : '';
  return new RouterOsError('too-large', `router sent ${what} in reply to ${command}${closed}`, { target, command });
}

export function alreadyClosedError(target: string, command: string): RouterOsError {
  return new RouterOsError('reset', `session to ${target} is already closed (${command} not sent)`, { target, command });
}

export function closedWhileRunningError(target: string, command: string): RouterOsError {
  return new RouterOsError('reset', `session to ${target} closed while ${command} was running`, { target, command });
}

/** A failure node-routeros reported without a trap or a socket error we saw: its errno is all there is. */
export function connectionFailedError(target: string, command: string, err: unknown): RouterOsError {
  const code = err instanceof Error && 'errno' in err ? String(err.errno) : String(err);
  return new RouterOsError('reset', `connection to ${target} failed during ${command}: ${code}`, { target, command, cause: err });
}

/** The router closed the socket; during the TLS handshake that usually means no api-ssl on that port. */
export function closedByRouterError(target: string, stage: ConnectionStage, command: string | null): RouterOsError {
  const details = { target, command };
  if (stage === 'tls') {
    return new RouterOsError('tls', `TLS handshake failed: ${target} closed the connection (is api-ssl enabled on this port?)`, details);
  }
  return new RouterOsError('reset', `router closed the connection during ${describeActivity(stage, command).during}`, details);
}
