import { env } from '@/env';

/** The two waits of one RouterOS session; a target's `deadlines` is one of the profiles below. */
export interface SessionDeadlines {
  /** DNS + TCP connect + TLS handshake + login. */
  connectMs: number;
  /** Each command, unless `run(…, { timeoutMs })` says otherwise. */
  commandMs: number;
}

export interface RouterDeadlines extends SessionDeadlines {
  heartbeat: SessionDeadlines;
  testConnection: SessionDeadlines & { totalMs: number; probeMs: number };
  diagnostic: { ping(count: number): SessionDeadlines; traceroute: SessionDeadlines };
}

/**
 * Every deadline the panel gives a router, in one place, from env.ts. Callers pick a profile and pass it
 * as the target's `deadlines`; a target without one gets the top-level pair (imports, everything else).
 */
export function routerDeadlines(): RouterDeadlines {
  const e = env();
  // A router on a sane network logs in well inside this; past it, it is down or filtered for our purposes.
  const connectMs = e.ROUTEROS_TIMEOUT_MS;
  // Test Connection answers within this even when the API, RADIUS and CoA each meet a black hole.
  const testTotalMs = 3400;
  return {
    connectMs,
    // A big BNG's /ip/pool or /ppp/active print (~64k rows, ~16 MiB) takes seconds, not tens of them.
    commandMs: 10_000,
    // One small read per router: a router that cannot print /system/resource within the connect deadline
    // counts as offline this round, so one number bounds a whole sweep.
    heartbeat: { connectMs, commandMs: connectMs },
    testConnection: {
      connectMs,
      // Three small reads (/system/resource, /radius, /radius/incoming) must fit in what connecting leaves.
      commandMs: 1500,
      totalMs: testTotalMs,
      // The RADIUS and CoA probes end 200 ms inside the total, so their verdict makes it into the answer.
      probeMs: Math.min(e.RADIUS_PROBE_TIMEOUT_MS, testTotalMs - 200),
    },
    // The tool's own run time, not what the client asks: RouterOS pings once a second (`count` of them,
    // plus 2 s of slack), and one traceroute pass sends up to 30 hops' probes of a second each.
    diagnostic: {
      ping: (count) => ({ connectMs, commandMs: count * 1000 + 2000 }),
      traceroute: { connectMs, commandMs: 30_000 },
    },
  };
}
