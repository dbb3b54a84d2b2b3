import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeSentences, SentenceReader } from '../../../../tools/routeros-sim/framing';
import { startRouter, type SimRouter } from '../../../../tools/routeros-sim/index';
import { RouterOsError, withRouterOs, type RouterOsTarget } from './index';
import { MAX_WORDS_PER_SENTENCE } from './limits';
import { findPppInterface, watchTorch, type TorchFrame, type TorchLimits } from './torch';

// Hosts 127.0.130.x belong to this file.
const USER = 'panel';
const PASSWORD = 'torch-test-pass';
const routers: SimRouter[] = [];
const servers: net.Server[] = [];
const processErrors: unknown[] = [];
const onProcessError = (err: unknown) => processErrors.push(err);

beforeAll(() => {
  process.on('uncaughtException', onProcessError);
  process.on('unhandledRejection', onProcessError);
});
afterEach(async () => {
  await Promise.all(routers.splice(0).map((r) => r.stop()));
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  // A router that misbehaves never takes the process down.
  expect(processErrors).toEqual([]);
});
afterAll(() => {
  process.off('uncaughtException', onProcessError);
  process.off('unhandledRejection', onProcessError);
});

async function sim(n: number): Promise<SimRouter> {
  const r = await startRouter({
    host: `127.0.130.${n}`,
    apiPort: 0,
    username: USER,
    password: PASSWORD,
    pppActive: [{ name: 'alice', address: '10.9.0.2' }],
  });
  routers.push(r);
  return r;
}

const target = (r: { host: string; apiPort: number }): RouterOsTarget => ({
  host: r.host,
  port: r.apiPort,
  username: USER,
  password: PASSWORD,
  tls: false,
});

const FAST: Partial<TorchLimits> = { stallMs: 1500, probeMs: 500 };

/** Watches alice's interface, handing each frame to `onFrame` with the abort function; resolves with the end. */
async function torch(
  t: RouterOsTarget,
  onFrame: (frame: TorchFrame, stop: () => void, frames: TorchFrame[]) => void,
  limits: Partial<TorchLimits> = FAST,
) {
  const frames: TorchFrame[] = [];
  const controller = new AbortController();
  const end = await withRouterOs(t, async (s) => {
    const iface = await findPppInterface(s, 'alice');
    expect(iface).toEqual({ interface: '<pppoe-alice>', address: '10.9.0.2' });
    return watchTorch(
      s,
      { interface: iface!.interface },
      {
        signal: controller.signal,
        limits,
        onFrame: (frame) => {
          frames.push(frame);
          onFrame(frame, () => controller.abort(), frames);
        },
      },
    );
  });
  return { end, frames };
}

describe('watchTorch against the simulator', () => {
  it('delivers a frame of per-flow rates every second, and cancels the torch when the consumer stops', async () => {
    const r = await sim(1);
    const { end, frames } = await torch(target(r), (_f, stop, all) => all.length === 4 && stop());
    expect(end).toBe('cancelled');
    expect(frames).toHaveLength(4);
    for (const f of frames) {
      expect(f.flowCount).toBe(5);
      expect(f.flows[0]).toMatchObject({ srcAddress: '10.9.0.2', protocol: expect.stringMatching(/^(tcp|udp)$/) });
      expect(f.flows[0].dstPort).toMatch(/^\d+$/);
      expect(f.rxBps).toBeGreaterThan(0);
      expect(f.txBps).toBe(f.flows.reduce((sum, flow) => sum + flow.txBps, 0));
      // Busiest first.
      expect(f.flows.map((x) => x.rxBps + x.txBps)).toEqual([...f.flows.map((x) => x.rxBps + x.txBps)].sort((a, b) => b - a));
    }
    const gaps = frames.slice(1).map((f, i) => f.at - frames[i].at);
    for (const gap of gaps) expect(gap > 700 && gap < 1400, `frames ${gaps.join(', ')} ms apart`).toBe(true);
    // The torch was cancelled on the router, on the same connection, and the connection then closed.
    const log = r.commandLog;
    expect(log.indexOf('/cancel')).toBeGreaterThan(log.indexOf('/tool/torch'));
    await expect.poll(() => r.openConnections).toBe(0);
  });

  it('ends with a reason within the stall deadline when the router stops answering mid-stream', async () => {
    const r = await sim(2);
    let silencedAt = 0;
    const run = torch(target(r), (_f, _stop, all) => {
      if (all.length === 1) {
        silencedAt = Date.now();
        void r.setFault('silent');
      }
    });
    const err = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RouterOsError);
    expect((err as RouterOsError).message).toMatch(
      /^router stopped answering: no torch data for 1\.5 s and no answer to a check within 0\.5 s$/,
    );
    // stall + probe + the ticker's step and the cancel that cannot be answered.
    expect(Date.now() - silencedAt).toBeLessThan(1500 + 500 + 250 + 1000 + 500);
  });

  it('ends cleanly when the router sends garbage mid-stream', async () => {
    const r = await sim(4);
    const err = await torch(target(r), (_f, _stop, all) => all.length === 1 && void r.setFault('garbage')).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RouterOsError);
    expect(err).toMatchObject({ kind: 'protocol' });
    expect((err as Error).message).toMatch(
      /^router sent an unreadable reply \(invalid length prefix 0x[0-9a-f]+\); is 127\.0\.130\.4:\d+ a RouterOS API port\?$/,
    );
  });

  it('ends when the session ends: its interface, and the torch on it, are gone', async () => {
    const r = await sim(5);
    const { end } = await torch(target(r), (_f, _stop, all) => {
      if (all.length === 1) r.removePppActive(r.getPppActive()[0].id);
    });
    expect(end).toBe('ended-by-router');
  });

  it("reports the router's refusal of an unknown interface", async () => {
    const r = await sim(6);
    const err = await withRouterOs(target(r), (s) =>
      watchTorch(s, { interface: '<pppoe-nobody>' }, { signal: new AbortController().signal, onFrame: () => {} }),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'trap', message: 'router said: input does not match any value of interface' });
  });
});

/** A router of our own on a real socket: logs in, then answers /tool/torch with `rows` (sentences after the tag). */
async function scriptedRouter(n: number, rows: string[][]): Promise<RouterOsTarget & { commands: string[] }> {
  const commands: string[] = [];
  const server = net.createServer((socket) => {
    const reader = new SentenceReader();
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      for (const words of reader.feed(chunk)) {
        const tag = words.find((w) => w.startsWith('.tag='))!;
        commands.push(words[0]);
        if (words[0] === '/tool/torch') socket.write(encodeSentences(rows.map(([reply, ...rest]) => [reply, tag, ...rest])));
        else if (words[0] === '/cancel') socket.write(encodeSentences([['!done', tag]]));
        else socket.write(encodeSentences([['!done', tag]]));
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, `127.0.130.${n}`, resolve));
  const { port } = server.address() as net.AddressInfo;
  return { host: `127.0.130.${n}`, port, username: USER, password: PASSWORD, tls: false, commands };
}

const run = (t: RouterOsTarget, limits: Partial<TorchLimits> = FAST, stopAfterMs = 1200) => {
  const frames: TorchFrame[] = [];
  const controller = new AbortController();
  setTimeout(() => controller.abort(), stopAfterMs);
  return withRouterOs(t, (s) =>
    watchTorch(s, { interface: 'ether1' }, { signal: controller.signal, limits, onFrame: (f) => frames.push(f) }),
  ).then(
    (end) => ({ end, frames, error: null }),
    (error: unknown) => ({ end: null, frames, error }),
  );
};

describe('watchTorch against a scripted router', () => {
  it('groups rows by .section and bounds what one refresh may hold', async () => {
    const flow = (section: number, port: number) => [
      '!re',
      `=.section=${section}`,
      '=src-address=10.0.0.1',
      `=dst-port=${port}`,
      '=rx=8',
      '=tx=16',
    ];
    const t = await scriptedRouter(10, [flow(0, 1), flow(0, 2), flow(0, 3), flow(1, 4), flow(1, 5)]);
    const { end, frames } = await run(t, { ...FAST, maxRowsPerFrame: 2, maxFlows: 1 });
    expect(end).toBe('cancelled');
    const data = frames.filter((f) => f.flowCount > 0);
    expect(data.map((f) => [f.flowCount, f.truncated, f.rxBps, f.txBps, f.flows.length])).toEqual([
      [2, true, 16, 32, 1],
      [2, false, 16, 32, 1],
    ]);
    expect(t.commands).toContain('/cancel');
  });

  it('keeps watching an idle interface on a router that still answers, with empty frames', async () => {
    // One refresh, then nothing for the torch; other commands are answered.
    const t = await scriptedRouter(13, [['!re', '=.section=0', '=src-address=10.0.0.1', '=rx=8', '=tx=8']]);
    const { end, frames } = await run(t, { stallMs: 300, probeMs: 300, idleFrameMs: 300 }, 2000);
    expect(end).toBe('cancelled');
    expect(t.commands.filter((c) => c === '/system/identity/print').length).toBeGreaterThanOrEqual(2);
    expect(frames[0].flowCount).toBe(1);
    expect(frames.slice(1).every((f) => f.flowCount === 0)).toBe(true);
    expect(frames.length).toBeGreaterThanOrEqual(4);
  });

  it('ends with a protocol error on a row whose rate is not a number', async () => {
    const t = await scriptedRouter(11, [['!re', '=.section=0', '=src-address=10.0.0.1', '=rx=lots', '=tx=1']]);
    const { error } = await run(t);
    expect(error).toMatchObject({ kind: 'protocol', message: 'router sent a torch row that is not one: rx is "lots", not a number' });
    expect(t.commands).toContain('/cancel');
  });

  it('applies the per-row limit of every reply to the stream', async () => {
    const wide = ['!re', '=.section=0', ...Array.from({ length: MAX_WORDS_PER_SENTENCE + 1 }, (_, i) => `=x${i}=1`)];
    const t = await scriptedRouter(12, [wide]);
    const { error } = await run(t);
    expect(error).toMatchObject({ kind: 'too-large' });
    expect((error as Error).message).toMatch(/more than 512 attributes in one row/);
  });
});
