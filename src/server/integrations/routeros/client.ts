import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { RouterOSAPI } from 'node-routeros';
import { withDeadline } from '@/lib/deadline';
import { resolveRouterAddress, RouterAddressRefusedError } from '../network-policy';
import { routerDeadlines, type SessionDeadlines } from './deadlines';
import { RouterOsError, socketErrorToRouterOs, type ConnectionStage } from './errors';
import { loginRouterOs } from './login';
import {
  alreadyClosedError,
  closedByRouterError,
  closedWhileRunningError,
  commandTimeoutError,
  connectTimeoutError,
  connectionFailedError,
  describeActivity,
  fatalError,
  formatTarget,
  invalidPortError,
  loginRefusedError,
  refusedByPolicyError,
  resolveTimeoutError,
  tooLargeError,
  trapError,
  unreadableReplyError,
} from './messages';
import { clearApiTimers, patchConnection, type PatchedConnection } from './node-routeros-patch';
import { cleanRouterText, ROUTER_MESSAGE_MAX } from './router-text';
import { assertSendable, describeParameter } from './sendable';
import { checkPeerCertificate, offersOnlyAnonymousTls, tlsOptions, anonymousRefused } from './tls-trust';

export interface RouterOsTarget {
  /** Address or host name; a name is resolved once and every address it has must be allowed (ROUTER_NETWORKS). */
  host: string;
  port: number;
  username: string;
  password: string;
  tls: boolean;
  /**
   * Expected SHA-256 fingerprint of the api-ssl certificate (`AB:CD:…`, as `session.tlsFingerprint`
   * reports it). Empty or absent: nothing pinned yet, any certificate is accepted (trust on first use).
   */
  tlsPin?: string;
  /** Accept a router without a certificate (anonymous TLS, nothing authenticates it). Default false. */
  tlsAllowAnonymous?: boolean;
  /** A profile from `routerDeadlines()` (heartbeat, testConnection…); absent: its top-level connect and command pair. */
  deadlines?: SessionDeadlines;
}

export interface RouterOsSession {
  /** `host:port`, for error messages. */
  readonly target?: string;
  /** SHA-256 fingerprint of the api-ssl certificate seen (`AB:CD:…`); null for plain API or anonymous TLS. */
  readonly tlsFingerprint: string | null;
  /**
   * Runs one API command and resolves with its `!re` rows. Attributes of the closing `!done`
   * (`ret` from `add` or `=count-only=`) come back as a last row.
   * `params` are raw API words: `=address=1.1.1.1`, `?name=x`, `=.proplist=name,ranges`.
   */
  run(command: string, params?: string[], opts?: { timeoutMs?: number }): Promise<Record<string, string>[]>;
  /**
   * Starts a command that sends `!re` rows until it is cancelled (`/tool/torch`, `/ping` without a count);
   * each row goes to `onRow` as it arrives. It has no deadline of its own: the caller bounds it (a stall
   * deadline) and cancels it. The per-reply limits (limits.ts) count over the stream's whole life.
   */
  stream(command: string, params: string[], onRow: (row: Record<string, string>) => void): RouterOsStream;
}

export interface RouterOsStream {
  /** Resolves when the router ends the command (`!done`, or `interrupted` after cancel()); rejects with a RouterOsError. */
  readonly finished: Promise<void>;
  /** Sends `/cancel` for this command and waits for its end, at most `timeoutMs`; never rejects. */
  cancel(timeoutMs: number): Promise<void>;
}

/** Connects, logs in, runs `fn`, and always closes the connection, whatever happens. */
export async function withRouterOs<T>(target: RouterOsTarget, fn: (session: RouterOsSession) => Promise<T>): Promise<T> {
  const connection = await Connection.open(target);
  try {
    return await fn({
      target: connection.label,
      tlsFingerprint: connection.tlsFingerprint,
      run: (command, params, opts) => connection.run(command, params, opts),
      stream: (command, params, onRow) => connection.stream(command, params, onRow),
    });
  } finally {
    connection.close();
  }
}

/** The part of node-routeros' Channel that stream() uses; `write(words, true, false)` sends without buffering rows. */
interface StreamChannel {
  on(event: 'stream', listener: (row: Record<string, string>) => void): void;
  on(event: 'trap', listener: (trap: { message?: string }) => void): void;
  on(event: 'close', listener: () => void): void;
  write(words: string[], isStream: true, returnPromise: false): void;
}

/** node-routeros reports socket failures as RosException (with `errno`); a `!trap` arrives as a plain Error. */
function isTrap(err: unknown): err is Error {
  return err instanceof Error && !('errno' in err);
}

class Connection {
  private api: RouterOSAPI | null = null;
  readonly label: string;
  /** The target's profile, or the default one: how long connecting and each command may take. */
  private readonly deadlines: SessionDeadlines;
  /** The literal address connected to, once ROUTER_NETWORKS allowed it. */
  private address: string | null = null;
  tlsFingerprint: string | null = null;
  private socket: Socket | null = null;
  private patched: PatchedConnection | null = null;
  private stage: ConnectionStage = 'tcp';
  private readonly inFlight: string[] = [];
  private readonly commandsByTag = new Map<string, string>();
  /** Commands whose reply went over a limit, by tag: their rejection carries this error, not a trap. */
  private readonly tooMuch = new Map<string, RouterOsError>();
  private failure: RouterOsError | null = null;
  private readonly failureListeners = new Set<(err: RouterOsError) => void>();
  private closed = false;

  private constructor(private readonly target: RouterOsTarget) {
    this.label = formatTarget(target.host, target.port);
    this.deadlines = target.deadlines ?? routerDeadlines();
  }

  static async open(target: RouterOsTarget): Promise<Connection> {
    const connection = new Connection(target);
    try {
      await connection.connect();
    } catch (err) {
      connection.close();
      throw err;
    }
    return connection;
  }

  private async connect(): Promise<void> {
    const { port, username, password } = this.target;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw invalidPortError(this.label, this.target.host, port);
    }
    assertSendable(username, 'the API username', { target: this.label, command: 'login' });
    assertSendable(password, 'the API password', { target: this.label, command: 'login' });
    const timeoutMs = this.deadlines.connectMs;
    const deadline = Date.now() + timeoutMs;
    this.address = await this.resolve(timeoutMs);
    const api = this.createApi(this.address);
    const loggedIn = api.connect();
    // guard() below consumes the outcome; this covers the throw from a failed patch.
    loggedIn.catch(() => {});
    this.patched = this.patch(username, password);
    this.socket = this.patched.socket;
    this.watch(this.socket);
    try {
      await this.guard(
        loggedIn,
        deadline - Date.now(),
        () => connectTimeoutError(this.label, this.stage, timeoutMs),
        (err) => this.loginError(err),
      );
    } catch (err) {
      throw await this.explainTlsFailure(err, deadline);
    }
    this.stage = 'command';
  }

  /** The address to connect to, within the connect deadline; refused by policy before any socket exists. */
  private async resolve(timeoutMs: number): Promise<string> {
    try {
      return await withDeadline(resolveRouterAddress(this.target.host), timeoutMs, () => resolveTimeoutError(this.label, timeoutMs));
    } catch (err) {
      if (err instanceof RouterOsError) throw err;
      if (err instanceof RouterAddressRefusedError) {
        throw refusedByPolicyError(this.label, err);
      }
      throw socketErrorToRouterOs(err as NodeJS.ErrnoException, this.label, 'tcp', { during: 'connect', command: null });
    }
  }

  private createApi(address: string): RouterOSAPI {
    const api = new RouterOSAPI({
      host: address,
      port: this.target.port,
      // The password stays in our login closure; node-routeros never sees it.
      user: this.target.username,
      tls: this.target.tls ? tlsOptions(this.target.tlsAllowAnonymous ?? false) : undefined,
      // Our deadlines bound every wait. node-routeros' idle timer would only add a second failure
      // path (SOCKTMOUT) and its keepalive fires at timeout/2, so both are pushed out of the way.
      timeout: 3600,
      keepalive: false,
    });
    // node-routeros re-emits socket errors on the API object after login; without a listener that
    // is an unhandled 'error' event. The socket listeners below report the actual cause.
    api.on('error', () => {});
    this.api = api;
    return api;
  }

  /** Set once connect() created it; every later use happens after that. */
  private get routerApi(): RouterOSAPI {
    if (!this.api) throw new Error('RouterOS connection used before connect()');
    return this.api;
  }

  /**
   * A handshake that fails while anonymous TLS is not allowed may be a router without a certificate:
   * ask it (one more handshake, nothing sent) so the message says so and what to do.
   */
  private async explainTlsFailure(err: unknown, deadline: number): Promise<unknown> {
    const { tls, tlsAllowAnonymous } = this.target;
    const left = deadline - Date.now();
    if (!(err instanceof RouterOsError) || err.kind !== 'tls' || !tls || tlsAllowAnonymous || !this.address || left < 50) {
      return err;
    }
    return (await offersOnlyAnonymousTls(this.address, this.target.port, left)) ? anonymousRefused(this.label) : err;
  }

  private patch(username: string, password: string): PatchedConnection {
    const api = this.routerApi;
    return patchConnection(api, {
      // async: a refused certificate must become a rejection, not a throw inside node-routeros' event handler.
      login: async () => {
        if (this.target.tls) {
          this.tlsFingerprint = checkPeerCertificate(this.socket as TLSSocket, this.target, this.label);
        }
        this.stage = 'login';
        return loginRouterOs((command, words) => api.write(command, words), username, password);
      },
      onFatal: (raw) => this.fail(fatalError(this.label, this.currentCommand(), cleanRouterText(raw, ROUTER_MESSAGE_MAX))),
      onUnreadable: (detail) => this.fail(unreadableReplyError(this.label, this.currentCommand(), detail)),
      onTooMuch: (scope, tag, what) => this.onTooMuch(scope, tag, what),
    });
  }

  private onTooMuch(scope: 'command' | 'connection', tag: string | null, what: string): void {
    const err = tooLargeError(this.label, this.commandForTag(tag), what, scope);
    if (scope === 'connection') {
      this.fail(err);
      return;
    }
    if (tag === null) return;
    this.tooMuch.set(tag, err);
    // Stop the router streaming the rest; what still arrives for this tag is dropped unread.
    if (!this.closed && !this.failure) this.routerApi.write('/cancel', [`=tag=${tag}`]).catch(() => {});
  }

  private commandForTag(tag: string | null): string {
    const command = tag === null ? undefined : this.commandsByTag.get(tag);
    return command ?? (this.stage === 'command' ? (this.currentCommand() ?? 'a command') : 'login');
  }

  private watch(socket: Socket): void {
    socket.setTimeout(0);
    socket.once('connect', () => {
      if (this.stage === 'tcp') this.stage = this.target.tls ? 'tls' : 'login';
    });
    socket.on('error', (err: NodeJS.ErrnoException) =>
      this.fail(socketErrorToRouterOs(err, this.label, this.stage, describeActivity(this.stage, this.currentCommand()))),
    );
    socket.once('close', () => this.fail(closedByRouterError(this.label, this.stage, this.currentCommand())));
  }

  async run(command: string, params: string[] = [], opts: { timeoutMs?: number } = {}): Promise<Record<string, string>[]> {
    assertSendable(command, 'the command name', { target: this.label, command: null });
    params.forEach((word, i) => assertSendable(word, describeParameter(word, i, command), { target: this.label, command }));
    if (this.closed) throw alreadyClosedError(this.label, command);
    if (this.failure) throw this.failure;
    const timeoutMs = opts.timeoutMs ?? this.deadlines.commandMs;
    this.inFlight.push(command);
    let tag: string | null = null;
    try {
      const work = this.routerApi.write(command, [...params]);
      tag = this.patched?.lastTag() ?? null;
      if (tag !== null) this.commandsByTag.set(tag, command);
      const rows = await this.guard(
        work,
        timeoutMs,
        () => commandTimeoutError(this.label, command, timeoutMs),
        (err) => this.commandError(err, command, tag),
      );
      return rows as Record<string, string>[];
    } finally {
      this.inFlight.splice(this.inFlight.indexOf(command), 1);
      if (tag !== null) {
        this.commandsByTag.delete(tag);
        this.tooMuch.delete(tag);
      }
    }
  }

  stream(command: string, params: string[], onRow: (row: Record<string, string>) => void): RouterOsStream {
    assertSendable(command, 'the command name', { target: this.label, command: null });
    params.forEach((word, i) => assertSendable(word, describeParameter(word, i, command), { target: this.label, command }));
    if (this.closed) throw alreadyClosedError(this.label, command);
    if (this.failure) throw this.failure;
    // node-routeros' own RStream re-emits a trap as an 'error' event (a crash without a listener) and batches
    // rows on timers; its channel alone gives each row as it arrives.
    const channel = (this.routerApi as unknown as { openChannel(): StreamChannel }).openChannel();
    const tag = this.patched?.lastTag() ?? '';
    this.inFlight.push(command);
    this.commandsByTag.set(tag, command);
    let settled = false;
    let cancelling = false;
    const finished = new Promise<void>((resolve, reject) => {
      let trapped: RouterOsError | null = null;
      const end = (err: RouterOsError | null) => {
        if (settled) return;
        settled = true;
        this.failureListeners.delete(end);
        this.inFlight.splice(this.inFlight.indexOf(command), 1);
        this.commandsByTag.delete(tag);
        this.tooMuch.delete(tag);
        if (err) reject(err);
        else resolve();
      };
      this.failureListeners.add(end);
      channel.on('stream', (row) => {
        if (settled) return;
        try {
          onRow(row);
        } catch (err) {
          // A consumer's bug must not pass for an unreadable reply and kill the connection.
          end(unreadableReplyError(this.label, command, err instanceof Error ? err.message : String(err)));
          this.routerApi.write('/cancel', [`=tag=${tag}`]).catch(() => {});
        }
      });
      channel.on('trap', (t) => {
        const said = cleanRouterText(t.message ?? '', ROUTER_MESSAGE_MAX);
        // `interrupted` is the router confirming our /cancel, not a failure.
        if (cancelling && said === 'interrupted') return;
        trapped = this.tooMuch.get(tag) ?? trapError(this.label, command, said);
      });
      channel.on('close', () => end(trapped));
    });
    // Nobody may be awaiting it yet; the caller reads it through `finished`.
    finished.catch(() => {});
    channel.write([command, ...params], true, false);
    return {
      finished,
      cancel: async (timeoutMs) => {
        if (settled || this.closed || this.failure) return;
        cancelling = true;
        this.routerApi.write('/cancel', [`=tag=${tag}`]).catch(() => {});
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([finished.catch(() => {}), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
        clearTimeout(timer);
      },
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.api) clearApiTimers(this.api);
    this.socket?.destroy();
    const command = this.currentCommand();
    if (command) this.notify(closedWhileRunningError(this.label, command));
  }

  /**
   * Settles with `work`, unless the deadline passes or the connection fails first. A deadline
   * marks the whole connection failed: a late reply would otherwise land on a half-dead session.
   */
  private guard<T>(
    work: Promise<T>,
    timeoutMs: number,
    onTimeout: () => RouterOsError,
    mapError: (err: unknown) => RouterOsError,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.failure) {
        work.catch(() => {});
        reject(this.failure);
        return;
      }
      const settle = () => {
        clearTimeout(timer);
        this.failureListeners.delete(onFailure);
      };
      const onFailure = (err: RouterOsError) => {
        settle();
        reject(err);
      };
      const timer = setTimeout(() => {
        settle();
        const err = onTimeout();
        this.fail(err);
        reject(err);
      }, timeoutMs);
      this.failureListeners.add(onFailure);
      work.then(
        (value) => {
          settle();
          resolve(value);
        },
        (err: unknown) => {
          settle();
          reject(mapError(err));
        },
      );
    });
  }

  private fail(err: RouterOsError): void {
    if (this.failure || this.closed) return;
    this.failure = err;
    if (this.api) clearApiTimers(this.api);
    this.socket?.destroy();
    this.notify(err);
  }

  private notify(err: RouterOsError): void {
    for (const listener of [...this.failureListeners]) listener(err);
  }

  private currentCommand(): string | null {
    return this.inFlight[0] ?? null;
  }

  private loginError(err: unknown): RouterOsError {
    if (this.failure) return this.failure;
    // Our own refusal from the login hook (certificate), not a trap from the router.
    if (err instanceof RouterOsError) return err;
    if (isTrap(err)) return loginRefusedError(this.label, cleanRouterText(err.message, ROUTER_MESSAGE_MAX));
    return this.unexpected(err, 'login');
  }

  private commandError(err: unknown, command: string, tag: string | null): RouterOsError {
    if (this.failure) return this.failure;
    const tooMuch = tag === null ? undefined : this.tooMuch.get(tag);
    if (tooMuch) return tooMuch;
    if (isTrap(err)) return trapError(this.label, command, cleanRouterText(err.message, ROUTER_MESSAGE_MAX));
    return this.unexpected(err, command);
  }

  private unexpected(err: unknown, command: string): RouterOsError {
    const failure = connectionFailedError(this.label, command, err);
    this.fail(failure);
    return failure;
  }
}
