import { describe, expect, it } from 'vitest';
import { SubscriberTable, type Subscriber } from './subscriber-table';

// A small deterministic generator, so a failure replays the same operations.
function random(seed: number) {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
}

const subscriber = (id: number, rnd: () => number): Subscriber => ({
  id,
  username: `user-${Math.floor(rnd() * 5000)}`,
  passwordEnc: `v2.key.${'x'.repeat(Math.floor(rnd() * 40))}.${id}`,
  passwordCheck: (['opens', 'fails', 'pending'] as const)[Math.floor(rnd() * 3)],
  isActive: rnd() < 0.9,
  nasId: rnd() < 0.2 ? null : Math.floor(rnd() * 1000) + 1,
  resellerId: rnd() < 0.5 ? null : Math.floor(rnd() * 50) + 1,
  planId: rnd() < 0.3 ? null : Math.floor(rnd() * 20) + 1,
  staticIp:
    rnd() < 0.7
      ? null
      : rnd() < 0.9
        ? `10.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}`
        : '2001:db8::7',
});

describe('SubscriberTable', () => {
  it('answers by name and by id exactly as a map of objects would, through adds, renames, changes and removals', () => {
    const rnd = random(7);
    const table = new SubscriberTable();
    // The model: what a Map keyed by id (and the last writer of each name) answers.
    const byId = new Map<number, Subscriber>();
    const byName = new Map<string, number>();
    for (let step = 0; step < 60_000; step++) {
      const id = Math.floor(rnd() * 8000) + 1;
      const slot = table.slotOfId(id);
      expect(slot >= 0).toBe(byId.has(id));
      if (rnd() < 0.25) {
        if (slot >= 0) {
          table.remove(slot);
          const old = byId.get(id)!;
          byId.delete(id);
          if (byName.get(old.username) === id) byName.delete(old.username);
        }
        continue;
      }
      const s = subscriber(id, rnd);
      if (slot >= 0) {
        const old = byId.get(id)!;
        expect(table.holds(slot, old)).toBe(true);
        // The row's columns decide; passwordCheck is derived from them.
        const row = ({ passwordCheck: _, ...r }: Subscriber) => JSON.stringify(r);
        expect(table.holds(slot, s)).toBe(row(old) === row(s));
        table.remove(slot);
        if (byName.get(old.username) === id) byName.delete(old.username);
      }
      table.add(s, step, s.passwordCheck);
      byId.set(id, s);
      byName.set(s.username, id);
    }
    expect(table.size).toBe(byId.size);
    for (const [id, s] of byId) expect(table.read(table.slotOfId(id))).toEqual(s);
    // A password check changes that and nothing else.
    for (const [id, s] of [...byId].slice(0, 500)) {
      const check = s.passwordCheck === 'opens' ? 'fails' : 'opens';
      table.setPasswordCheck(table.slotOfId(id), check);
      expect(table.read(table.slotOfId(id))).toEqual({ ...s, passwordCheck: check });
    }
    for (let n = 0; n < 5000; n++) {
      const name = `user-${n}`;
      const slot = table.slotOfName(name);
      const id = byName.get(name);
      expect(slot < 0 ? undefined : table.read(slot).id).toBe(id);
    }
    expect([...table.slots()].length).toBe(byId.size);
  });

  it('reuses the bytes of removed rows instead of growing without bound', () => {
    const rnd = random(11);
    const table = new SubscriberTable();
    for (let round = 0; round < 50; round++)
      for (let id = 1; id <= 2000; id++) {
        const slot = table.slotOfId(id);
        if (slot >= 0) table.remove(slot);
        table.add(subscriber(id, rnd), round, 'pending');
      }
    const { used, garbage } = table.arenaStats;
    // 2,000 live ciphertexts of ~30 bytes: the arena holds a few rounds' worth at most, not fifty.
    expect(used - garbage).toBeLessThan(2000 * 60);
    expect(used).toBeLessThan(2000 * 60 * 4);
    for (let id = 1; id <= 2000; id++) expect(table.read(table.slotOfId(id)).passwordEnc).toMatch(new RegExp(`\\.${id}$`));
  });
});
