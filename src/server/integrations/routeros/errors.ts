export type RouterOsErrorKind =
  | 'refused'
  | 'timeout'
  | 'auth'
  | 'tls'
  | 'trap'
  | 'fatal'
  | 'reset'
  | 'protocol'
  | 'unreachable'
  /** The router sent more than the panel reads (limits.ts): too many rows, too many bytes. */
  | 'too-large'
  /** Something the panel was asked to send cannot be sent (CR, LF or NUL in a word); nothing was sent. */
  | 'invalid'
  /** The api-ssl certificate is not the pinned one; `seenFingerprint` holds the one presented. */
  | 'certificate'
  /** ROUTER_NETWORKS (network-policy.ts) does not allow this address; no connection was opened. */
  | 'refused-by-policy';

/**
 * Everything that can go wrong while talking to a router. Messages are written for the person
 * fixing the router or the network; they never contain credentials or command parameters.
 */
export class RouterOsError extends Error {
  readonly kind: RouterOsErrorKind;
  /** `host:port` the client was talking to. */
  readonly target: string;
  /** API command that was running, or 'login' while connecting. */
  readonly command: string | null;
  /** The router's own text for `trap` / `fatal` (cleaned), so callers can match e.g. `no such item`. */
  readonly routerMessage: string | null;
  /** For `certificate`: the SHA-256 fingerprint the router presented (`AB:CD:…`), null for anonymous TLS. */
  readonly seenFingerprint: string | null;

  constructor(
    kind: RouterOsErrorKind,
    message: string,
    details: {
      target: string;
      command?: string | null;
      routerMessage?: string | null;
      seenFingerprint?: string | null;
      cause?: unknown;
    },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'RouterOsError';
    this.kind = kind;
    this.target = details.target;
    this.command = details.command ?? null;
    this.routerMessage = details.routerMessage ?? null;
    this.seenFingerprint = details.seenFingerprint ?? null;
  }
}

export type ConnectionStage = 'tcp' | 'tls' | 'login' | 'command';

const UNREACHABLE_CODES = new Set([
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
]);

function isTlsError(err: NodeJS.ErrnoException): boolean {
  const code = err.code ?? '';
  return code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || /SSL routines|handshake/i.test(err.message);
}

/** node-routeros turns socket errors into numeric errnos with empty messages; we read the socket's own error instead. */
export function socketErrorToRouterOs(
  err: NodeJS.ErrnoException,
  target: string,
  stage: ConnectionStage,
  activity: { during: string; command: string | null },
): RouterOsError {
  const code = err.code ?? 'UNKNOWN';
  const { during, command } = activity;
  const details = { target, command, cause: err };

  if (isTlsError(err)) {
    const reason = (err as { reason?: string }).reason ?? err.message;
    return new RouterOsError('tls', `TLS handshake failed: ${reason} (is ${target} an api-ssl port?)`, details);
  }
  if (stage === 'tls' && (code === 'ECONNRESET' || code === 'EPIPE')) {
    return new RouterOsError('tls', `TLS handshake failed: connection reset by ${target} (is api-ssl enabled on this port?)`, details);
  }
  if (code === 'ECONNREFUSED') {
    return new RouterOsError('refused', `connection refused by ${target} (API service disabled or wrong port?)`, details);
  }
  if (code === 'ETIMEDOUT') {
    return new RouterOsError('timeout', `no answer from ${target}: TCP connection timed out`, details);
  }
  if (UNREACHABLE_CODES.has(code)) {
    const what = code.startsWith('EAI_') || code === 'ENOTFOUND' ? 'host name does not resolve' : 'no route to host';
    return new RouterOsError('unreachable', `${target} is unreachable: ${what} (${code})`, details);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return new RouterOsError('reset', `connection reset by router during ${during}`, details);
  }
  if (stage === 'tcp') {
    return new RouterOsError('unreachable', `cannot connect to ${target}: ${code}`, details);
  }
  return new RouterOsError('reset', `connection to ${target} failed during ${during}: ${code}`, details);
}
