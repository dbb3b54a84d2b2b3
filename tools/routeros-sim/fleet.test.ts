import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleetFile, startFleet } from './fleet';
import { RawApiClient } from './raw-api-client';
import { startRouter } from './router';

// Hosts 127.0.51.100-255 belong to this file.

describe('fleets', () => {
  it('starts 150 routers on the default API port, each on its own address, and stops them', async () => {
    const cfgs = Array.from({ length: 150 }, (_, i) => ({
      host: `127.0.51.${100 + i}`,
      username: 'u',
      password: 'p',
      identity: `r${i}`,
    }));
    const fleet = await startFleet(cfgs);
    try {
      expect(fleet.routers.map((r) => r.apiPort)).toEqual(cfgs.map(() => 8728));
      for (const r of [fleet.routers[0], fleet.routers[149]]) {
        const c = await RawApiClient.connect(r.host, r.apiPort);
        await c.login('u', 'p');
        c.send('/system/identity/print');
        expect((await c.untilDone())[0]).toEqual(['!re', `=name=${r.identity}`]);
        c.close();
      }
    } finally {
      await fleet.stop();
    }
    await expect(RawApiClient.connect('127.0.51.100', 8728)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('stops what it started when one router cannot listen', async () => {
    const cfg = { host: '127.0.51.250', apiPort: 0, username: 'u', password: 'p' };
    const squatter = await startRouter({ ...cfg, host: '127.0.51.251' });
    try {
      await expect(
        startFleet([
          { ...cfg, apiPort: 8728 },
          { ...cfg, host: '127.0.51.251', apiPort: squatter.apiPort },
        ]),
      ).rejects.toThrow(`cannot listen on 127.0.51.251:${squatter.apiPort}: EADDRINUSE`);
      // The first router was stopped again, so its address is free.
      const again = await startRouter({ ...cfg, apiPort: 8728 });
      await again.stop();
    } finally {
      await squatter.stop();
    }
  });

  it('loads the committed demo fleet', () => {
    const cfgs = loadFleetFile(path.join(import.meta.dirname, 'demo-fleet.json'));
    expect(cfgs.map((c) => c.host)).toEqual(['127.0.10.1', '127.0.10.2', '127.0.10.3', '127.0.10.4']);
    expect(cfgs.every((c) => c.username === 'panel' && c.password === 'demo-api-pass')).toBe(true);
    expect(cfgs.map((c) => c.loginMode ?? 'plain')).toContain('challenge');
    expect(cfgs.some((c) => c.emptyReplies)).toBe(true);
    expect(cfgs.some((c) => c.fault === 'silent')).toBe(true);
    const subscribers = cfgs.flatMap((c) => c.radiusClient?.subscribers ?? []);
    expect(subscribers.map((s) => s.name)).toEqual(['alice', 'bob', 'carol', 'acme-corp', 'dave']);
    expect(new Set(subscribers.map((s) => s.method))).toEqual(new Set(['pap', 'chap', 'mschapv2']));
  });

  it('explains what is wrong with a fleet file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fleet-'));
    try {
      const file = path.join(dir, 'fleet.json');
      writeFileSync(file, JSON.stringify({ routers: [{ host: '127.0.0.9', username: 'u' }] }));
      expect(() => loadFleetFile(file)).toThrow('router #1 needs a string "password"');
      writeFileSync(file, '{"nope": 1}');
      expect(() => loadFleetFile(file)).toThrow('expected an array of routers');
      const router = { host: '127.0.0.9', username: 'u', password: 'p' };
      writeFileSync(file, JSON.stringify([{ ...router, radiusClient: { server: '127.0.0.1', subscribers: [] } }]));
      expect(() => loadFleetFile(file)).toThrow('router #1: radiusClient needs a string "secret"');
      const subscribers = [{ name: 'alice', password: 'x', method: 'eap' }];
      writeFileSync(file, JSON.stringify([{ ...router, radiusClient: { server: '127.0.0.1', secret: 's', subscribers } }]));
      expect(() => loadFleetFile(file)).toThrow('subscriber alice: "method" must be one of pap, chap, mschapv2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
