import http from 'node:http';

/**
 * A minimal HTTP/1.1 client over keep-alive sockets: the bench measures the panel, so the client side is
 * kept as cheap as possible (no fetch/undici machinery per call).
 */
export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });

export function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? 30_000, () =>
      req.destroy(new Error(`${opts.method ?? 'GET'} ${url}: no answer within ${opts.timeoutMs ?? 30_000} ms`)),
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Cookies as the browser would keep them, name → value. */
class CookieJar {
  private readonly jar = new Map<string, string>();
  take(res: HttpResponse) {
    for (const line of res.headers['set-cookie'] ?? []) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  has(name: string) {
    return this.jar.has(name);
  }
}

/** A signed-in browser: next-auth's credentials flow (csrf, then the callback), cookies kept. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const jar = new CookieJar();
  const csrf = await request(`${baseUrl}/api/auth/csrf`);
  if (csrf.status !== 200) throw new Error(`GET /api/auth/csrf answered ${csrf.status}`);
  jar.take(csrf);
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const form = new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/nas`, json: 'true' }).toString();
  const res = await request(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: form,
  });
  jar.take(res);
  const session = ['next-auth.session-token', '__Secure-next-auth.session-token'].some((n) => jar.has(n));
  if (!session) throw new Error(`sign-in as ${email} failed (status ${res.status}, no session cookie)`);
  return jar.header();
}

/** A tRPC query over GET, plain JSON input, as the browser's client sends it (unbatched). */
export function trpcQuery(baseUrl: string, cookie: string, path: string, input: unknown): Promise<HttpResponse> {
  const q = encodeURIComponent(JSON.stringify(input));
  return request(`${baseUrl}/api/trpc/${path}?input=${q}`, { headers: { cookie } });
}

export function trpcMutation(baseUrl: string, cookie: string, path: string, input: unknown, timeoutMs = 30_000): Promise<HttpResponse> {
  return request(`${baseUrl}/api/trpc/${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify(input),
    timeoutMs,
  });
}

/** The data of a tRPC success, or an Error naming the procedure and status. */
export function trpcData<T>(path: string, res: HttpResponse): T {
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${res.body.slice(0, 300)}`);
  return (JSON.parse(res.body) as { result: { data: T } }).result.data;
}

export async function waitForOk(url: string, deadlineMs: number, isDead: () => string | null, pollMs = 100): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const dead = isDead();
    if (dead) throw new Error(dead);
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${Math.round(deadlineMs / 1000)} s`);
    try {
      const res = await request(url, { timeoutMs: 5000, headers: { connection: 'close' } });
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
