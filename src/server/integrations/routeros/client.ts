import type { Socket } from 'node:net';
import { DEFAULT_CIPHERS, type TlsOptions } from 'node:tls';
import { RouterOSAPI } from 'node-routeros';
import { RouterOsError, socketErrorToRouterOs, type ConnectionStage } from './errors';
import { loginRouterOs } from './login';
import { clearApiTimers, patchConnection, type PatchedConnection } from './node-routeros-patch';
import { cleanRouterText, ROUTER_MESSAGE_MAX } from './router-text';
import { assertSendable, describeParameter } from './sendable';

export interface RouterOsTarget {
  host: string;
  port: number;
  username: string;
  password: string;
  tls: boolean;
  /** Deadline for TCP connect + TLS + login, default 3000 ms. */
  timeoutMs?: number;
  /** Deadline for each command, default 10000 ms; `run(..., { timeoutMs })` overrides it per call. */
  commandTimeoutMs?: number;
}

export interface RouterOsSession {
  /** `host:port`, for error messages. */
  readonly target?: string;
  /**
   * Runs one API command and resolves with its `!re` rows. Attributes of the closing `!done`
   * (`ret` from `add` or `=count-only=`) come back as a last row.
   * `params` are raw API words: `=address=1.1.1.1`, `?name=x`, `=.proplist=name,ranges`.
   */
  run(command: string, params?: string[], opts?: { timeoutMs?: number }): Promise<Record<string, string>[]>;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 3000;
export const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;

const TLS_OPTIONS: TlsOptions = {
  // Routers present self-signed certificates; the API login is what authenticates the session.
  rejectUnauthorized: false,
  // Routers with `certificate=none` offer only anonymous DH suites, which OpenSSL 3 allows at level 0 only.
  ciphers: `${DEFAULT_CIPHERS.replace(':!aNULL', '')}:@SECLEVEL=0`,
};

/** Connects, logs in, runs `fn`, and always closes the connection, whatever happens. */
export async function withRouterOs<T>(target: RouterOsTarget, fn: (session: RouterOsSession) => Promise<T>): Promise<T> {
  const connection = await Connection.open(target);
  try {
    return await fn({ target: connection.label, run: (command, params, opts) => connection.run(command, params, opts) });
  } finally {
    connection.close();
  }
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

function formatTarget(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** node-routeros reports socket failures as RosException (with `errno`); a `!trap` arrives as a plain Error. */
function isTrap(err: unknown): err is Error {
  return err instanceof Error && !('errno' in err);
}

class Connection {
  private readonly api: RouterOSAPI;
  readonly label: string;
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
    this.api = new RouterOSAPI({
      host: target.host,
      port: target.port,
      // The password stays in our login closure; node-routeros never sees it.
      user: target.username,
      tls: target.tls ? { ...TLS_OPTIONS } : undefined,
      // Our deadlines bound every wait. node-routeros' idle timer would only add a second failure
      // path (SOCKTMOUT) and its keepalive fires at timeout/2, so both are pushed out of the way.
      timeout: 3600,
      keepalive: false,
    });
    // node-routeros re-emits socket errors on the API object after login; without a listener that
    // is an unhandled 'error' event. The socket listeners below report the actual cause.
    this.api.on('error', () => {});
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
      throw new RouterOsError('unreachable', `invalid API port ${port} for ${this.target.host}`, { target: this.label });
    }
    assertSendable(username, 'the API username', { target: this.label, command: 'login' });
    assertSendable(password, 'the API password', { target: this.label, command: 'login' });
    const timeoutMs = this.target.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const loggedIn = this.api.connect();
    // guard() below consumes the outcome; this covers the throw from a failed patch.
    loggedIn.catch(() => {});
    this.patched = this.patch(username, password);
    this.socket = this.patched.socket;
    this.watch(this.socket);
    await this.guard(loggedIn, timeoutMs, () => this.connectTimeout(timeoutMs), (err) => this.loginError(err));
    this.stage = 'command';
  }

  private patch(username: string, password: string): PatchedConnection {
    return patchConnection(this.api, {
      login: () => {
        this.stage = 'login';
        return loginRouterOs((command, words) => this.api.write(command, words), username, password);
      },
      onFatal: (raw) => {
        const reason = cleanRouterText(raw, ROUTER_MESSAGE_MAX);
        this.fail(
          new RouterOsError('fatal', `router closed the session: ${reason}`, {
            target: this.label,
            command: this.currentCommand(),
            routerMessage: reason,
          }),
        );
      },
      onUnreadable: (detail) =>
        this.fail(
          new RouterOsError(
            'protocol',
            `router sent an unreadable reply (${detail}); is ${this.label} a RouterOS API port?`,
            { target: this.label, command: this.currentCommand() },
          ),
        ),
      onTooMuch: (scope, tag, what) => this.onTooMuch(scope, tag, what),
    });
  }

  private onTooMuch(scope: 'command' | 'connection', tag: string | null, what: string): void {
    const command = this.commandForTag(tag);
    const details = { target: this.label, command };
    if (scope === 'connection') {
      this.fail(new RouterOsError('too-large', `router sent ${what} in reply to ${command}; connection closed`, details));
      return;
    }
    if (tag === null) return;
    this.tooMuch.set(tag, new RouterOsError('too-large', `router sent ${what} in reply to ${command}`, details));
    // Stop the router streaming the rest; what still arrives for this tag is dropped unread.
    if (!this.closed && !this.failure) this.api.write('/cancel', [`=tag=${tag}`]).catch(() => {});
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
      this.fail(socketErrorToRouterOs(err, this.label, this.stage, this.activity())),
    );
    socket.once('close', () => this.fail(this.closedByRouter()));
  }

  async run(command: string, params: string[] = [], opts: { timeoutMs?: number } = {}): Promise<Record<string, string>[]> {
    assertSendable(command, 'the command name', { target: this.label, command: null });
    params.forEach((word, i) =>
      assertSendable(word, describeParameter(word, i, command), { target: this.label, command }),
    );
    if (this.closed) {
      throw new RouterOsError('reset', `session to ${this.label} is already closed (${command} not sent)`, {
        target: this.label,
        command,
      });
    }
    if (this.failure) throw this.failure;
    const timeoutMs = opts.timeoutMs ?? this.target.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.inFlight.push(command);
    let tag: string | null = null;
    try {
      const work = this.api.write(command, [...params]);
      tag = this.patched?.lastTag() ?? null;
      if (tag !== null) this.commandsByTag.set(tag, command);
      const rows = await this.guard(
        work,
        timeoutMs,
        () =>
          new RouterOsError('timeout', `no answer from ${this.label} to ${command} within ${seconds(timeoutMs)}`, {
            target: this.label,
            command,
          }),
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

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearApiTimers(this.api);
    this.socket?.destroy();
    const command = this.currentCommand();
    if (command) {
      this.notify(
        new RouterOsError('reset', `session to ${this.label} closed while ${command} was running`, {
          target: this.label,
          command,
        }),
      );
    }
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
    clearApiTimers(this.api);
    this.socket?.destroy();
    this.notify(err);
  }

  private notify(err: RouterOsError): void {
    for (const listener of [...this.failureListeners]) listener(err);
  }

  private currentCommand(): string | null {
    return this.inFlight[0] ?? null;
  }

  private activity(): { during: string; command: string | null } {
    const command = this.currentCommand();
    const during = { tcp: 'connect', tls: 'TLS handshake', login: 'login', command: command ?? 'an idle session' }[
      this.stage
    ];
    return { during, command };
  }

  private connectTimeout(timeoutMs: number): RouterOsError {
    const why = {
      tcp: 'TCP connect not answered: host down, filtered, or wrong address',
      tls: 'TCP connected, TLS handshake not answered',
      login: 'TCP connected, API login not answered',
      command: 'connected',
    }[this.stage];
    return new RouterOsError('timeout', `no answer from ${this.label} within ${seconds(timeoutMs)} (${why})`, {
      target: this.label,
      command: 'login',
    });
  }

  private loginError(err: unknown): RouterOsError {
    if (this.failure) return this.failure;
    if (isTrap(err)) {
      const said = cleanRouterText(err.message, ROUTER_MESSAGE_MAX);
      return new RouterOsError('auth', `API login refused: ${said || 'no reason given'}`, {
        target: this.label,
        command: 'login',
        routerMessage: said,
      });
    }
    return this.unexpected(err, 'login');
  }

  private commandError(err: unknown, command: string, tag: string | null): RouterOsError {
    if (this.failure) return this.failure;
    const tooMuch = tag === null ? undefined : this.tooMuch.get(tag);
    if (tooMuch) return tooMuch;
    if (isTrap(err)) {
      const said = cleanRouterText(err.message, ROUTER_MESSAGE_MAX);
      return new RouterOsError('trap', `router said: ${said || '(no message)'}`, {
        target: this.label,
        command,
        routerMessage: said,
      });
    }
    return this.unexpected(err, command);
  }

  private unexpected(err: unknown, command: string): RouterOsError {
    const code = err instanceof Error && 'errno' in err ? String(err.errno) : String(err);
    const failure = new RouterOsError('reset', `connection to ${this.label} failed during ${command}: ${code}`, {
      target: this.label,
      command,
      cause: err,
    });
    this.fail(failure);
    return failure;
  }

  private closedByRouter(): RouterOsError {
    const { during, command } = this.activity();
    const details = { target: this.label, command };
    if (this.stage === 'tls') {
      return new RouterOsError(
        'tls',
        `TLS handshake failed: ${this.label} closed the connection (is api-ssl enabled on this port?)`,
        details,
      );
    }
    return new RouterOsError('reset', `router closed the connection during ${during}`, details);
  }
}
