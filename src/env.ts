import { isIP } from 'node:net';
import { z } from 'zod';
import { parseRouterNetworks } from '@/lib/cidr';

/**
 * Every environment variable the server reads, validated once. `.env.example` documents each one.
 * Read lazily so the start script can fill in the embedded defaults before anything asks.
 */
const ZEnv = z.object({
  // The panel's own pool of PostgreSQL connections (per process).
  DB_POOL_MAX: z.coerce.number().int().min(2).max(500).default(10),
  // The first admin, created when no user exists; without a password one is generated and printed once.
  ADMIN_EMAIL: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().email('ADMIN_EMAIL must be an e-mail address').default('admin@nas-panel.local'),
  ),
  ADMIN_PASSWORD: z.string().default(''),
  // Set by `npm start` for the panel it starts: migrations ran already, instrumentation.ts need not run them.
  NAS_PANEL_DB_READY: z.enum(['0', '1']).default('0'),
  DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgres:// URL' }),
  ENCRYPTION_KEY: z.string().refine((v) => decodeKey(v) !== null, 'ENCRYPTION_KEY must be 32 bytes, as 64 hex characters or base64'),
  // Older keys, comma-separated: still decrypt what they wrote until `npm run rotate-key` (or a start)
  // re-encrypts it under ENCRYPTION_KEY.
  ENCRYPTION_KEYS_PREVIOUS: z
    .string()
    .default('')
    .refine(
      (v) =>
        v
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean)
          .every((k) => decodeKey(k) !== null),
      'ENCRYPTION_KEYS_PREVIOUS must be a comma-separated list of 32-byte keys (hex or base64)',
    ),
  NEXTAUTH_SECRET: z.string().min(32, 'NEXTAUTH_SECRET must be at least 32 characters'),
  SESSION_MAX_AGE_S: z.coerce
    .number()
    .int()
    .min(60)
    .default(8 * 3600),
  // bcrypt cost of user passwords; each step doubles the work. Below 10 only for tests.
  PASSWORD_HASH_ROUNDS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(4, 'PASSWORD_HASH_ROUNDS must be 4-20').max(20, 'PASSWORD_HASH_ROUNDS must be 4-20').default(12),
  ),
  // How many reverse proxies in front of the panel may be believed about the client's address (their
  // X-Forwarded-For entries, counted from the right). false/0: the socket's address, the header ignored.
  TRUST_PROXY: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^(true|false|\d{1,2})$/, 'TRUST_PROXY must be false, true (one proxy) or the number of proxies in front')
      .default('false')
      .transform((v) => (v === 'true' ? 1 : v === 'false' ? 0 : Number(v))),
  ),
  // Every router deadline derives from these two or is fixed, with its reason, in integrations/routeros/deadlines.ts.
  ROUTEROS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
  RADIUS_PROBE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  HEARTBEAT_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(5 * 60_000),
  HEARTBEAT_FIRST_DELAY_MS: z.coerce.number().int().min(0).default(10_000),
  HEARTBEAT_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(128),
  NAS_OFFLINE_AFTER_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(5 * 60_000),
  POOL_IMPORT_POLL_MS: z.coerce.number().int().min(100).default(1000),
  POOL_IMPORT_MAX_ADDRESSES: z.coerce.number().int().min(1).max(16_777_216).default(65_536),
  POOL_IMPORT_MAX_TOTAL: z.coerce.number().int().min(1).max(16_777_216).default(524_288),
  POOL_IMPORT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  JOBS_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  PANEL_RADIUS_ADDRESS: z.string().optional(),
  // The RADIUS service (npm run radius; npm start runs one): where it listens, comma-separated addresses.
  RADIUS_LISTEN: z
    .string()
    .default('127.0.0.1')
    .refine(
      (v) => v.split(',').every((a) => isIP(a.trim()) !== 0),
      'RADIUS_LISTEN must be a comma-separated list of IP addresses (0.0.0.0 or :: for every interface)',
    ),
  RADIUS_AUTH_PORT: z.coerce.number().int().min(1).max(65535).default(1812),
  RADIUS_ACCT_PORT: z.coerce.number().int().min(1).max(65535).default(1813),
  // Whether `npm start` starts a RADIUS service next to the panel.
  RADIUS_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  // A full reload of NAS rows, subscribers and plans, behind the change notifications (a safety net).
  RADIUS_RELOAD_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(5 * 60_000),
  // Accounting is committed in groups: the longest a packet waits for its group to fill.
  RADIUS_ACCT_BATCH_MS: z.coerce.number().int().min(0).max(1000).default(5),
  RADIUS_ACCT_BATCH_MAX: z.coerce.number().int().min(1).max(10_000).default(500),
  // …and groups start at most this often: a steady trickle of Interim-Updates is grouped, not committed 2-3 at a time.
  RADIUS_ACCT_GROUP_SPACING_MS: z.coerce.number().int().min(0).max(1000).default(20),
  // How often counters, last_seen and unknown devices seen by the RADIUS service are written.
  RADIUS_FLUSH_MS: z.coerce.number().int().min(100).default(5000),
  ROUTER_NETWORKS: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      try {
        parseRouterNetworks(value);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
      }
    }),
});

export type Env = z.infer<typeof ZEnv>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  cached = parsed.data;
  return cached;
}

/** Tests change variables between files; this forgets the cached copy. */
export function resetEnvCache() {
  cached = undefined;
}

export function decodeKey(value: string): Buffer | null {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  try {
    const b = Buffer.from(v, 'base64');
    return b.length === 32 ? b : null;
  } catch {
    return null;
  }
}
