import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { SubscriberDirectory } from './subscribers';
import { makeSubscriber } from './test-support';

it('a full reload updates in place: unchanged rows are not stored again, changes, renames and deletions apply', async () => {
  const ids: number[] = [];
  for (const name of ['dir-same', 'dir-changed', 'dir-renamed', 'dir-deleted'])
    ids.push(await makeSubscriber({ username: name, password: 'pw' }));
  const directory = new SubscriberDirectory();
  await directory.reloadAll();
  const same = directory.find('dir-same');
  const changed = directory.find('dir-changed');
  expect(same && changed && directory.find('dir-renamed') && directory.find('dir-deleted')).toBeTruthy();

  await db().execute(sql`update subscribers set is_active = false where username = 'dir-changed'`);
  await db().execute(sql`update subscribers set username = 'dir-new-name' where username = 'dir-renamed'`);
  await db().execute(sql`delete from subscribers where username = 'dir-deleted'`);
  await makeSubscriber({ username: 'dir-added', password: 'pw' });
  const before = directory.size;
  const bytesBefore = directory.storedBytes;
  await directory.reloadAll();

  // Stored again: only the three rows that changed or are new (a safety-net reload copies nothing else).
  const perRow = bytesBefore / 4;
  expect(directory.storedBytes - bytesBefore).toBeGreaterThanOrEqual(2 * perRow);
  expect(directory.storedBytes - bytesBefore).toBeLessThan(4 * perRow);
  expect(directory.find('dir-same')).toEqual(same);
  expect(directory.find('dir-changed')?.isActive).toBe(false);
  expect(directory.find('dir-renamed')).toBeUndefined();
  expect(directory.find('dir-new-name')?.id).toBe(ids[2]);
  expect(directory.find('dir-deleted')).toBeUndefined();
  expect(directory.find('dir-added')).toBeDefined();
  expect(directory.size).toBe(before);

  // A per-row reload of a deleted row removes it; of a new name, finds it under that name only.
  await db().execute(sql`update subscribers set username = 'dir-renamed-again' where id = ${ids[2]}`);
  await directory.reloadSubscriber(ids[2]);
  expect(directory.find('dir-new-name')).toBeUndefined();
  expect(directory.find('dir-renamed-again')?.id).toBe(ids[2]);
  await db().execute(sql`delete from subscribers where id = ${ids[0]}`);
  await directory.reloadSubscriber(ids[0]);
  expect(directory.find('dir-same')).toBeUndefined();
});
