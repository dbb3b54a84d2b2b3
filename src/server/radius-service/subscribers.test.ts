import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { encryptSecret } from '@/server/crypto/secret-box';
import { SubscriberDirectory, subscriberPassword, subscriberPasswordBinding } from './subscribers';
import { makeSubscriber } from './test-support';

it('a full reload updates in place: unchanged rows are not stored again, changes, renames and deletions apply', async () => {
  const ids: number[] = [];
  for (const name of ['dir-same', 'dir-changed', 'dir-renamed', 'dir-deleted'])
    ids.push(await makeSubscriber({ username: name, password: 'pw' }));
  const directory = new SubscriberDirectory();
  await directory.reloadAll();
  await directory.passwordsChecked();
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
  // The changed and added rows' passwords are checked in the background, the others were already.
  expect((await directory.passwordsChecked()).checked).toBe(3);
  expect(directory.find('dir-added')?.passwordCheck).toBe('opens');

  // A per-row reload of a deleted row removes it; of a new name, finds it under that name only.
  await db().execute(sql`update subscribers set username = 'dir-renamed-again' where id = ${ids[2]}`);
  await directory.reloadSubscriber(ids[2]);
  expect(directory.find('dir-new-name')).toBeUndefined();
  expect(directory.find('dir-renamed-again')?.id).toBe(ids[2]);
  await db().execute(sql`delete from subscribers where id = ${ids[0]}`);
  await directory.reloadSubscriber(ids[0]);
  expect(directory.find('dir-same')).toBeUndefined();
});

it('a password is checked for its row once, when the row is loaded: one copied from another row never opens', async () => {
  const a = await makeSubscriber({ username: 'dir-pw-a', password: 'password-of-a' });
  const b = await makeSubscriber({ username: 'dir-pw-b', password: 'password-of-b' });
  const directory = new SubscriberDirectory();
  await directory.reloadAll();
  expect(subscriberPassword(directory.find('dir-pw-a')!)).toBe('password-of-a');
  expect(subscriberPassword(directory.find('dir-pw-b')!)).toBe('password-of-b');

  // Someone with write access to the table copies a's ciphertext into b's row: it is bound to a's row.
  await db().execute(sql`update subscribers set password_enc = (select password_enc from subscribers where id = ${a}) where id = ${b}`);
  await directory.reloadSubscriber(b);
  expect(directory.find('dir-pw-b')?.passwordCheck).toBe('fails');
  expect(subscriberPassword(directory.find('dir-pw-b')!)).toBeNull();
  await directory.reloadAll();
  expect(subscriberPassword(directory.find('dir-pw-b')!)).toBeNull();

  // A first load leaves the check to the background; until then a request checks in full, with the same result.
  const fresh = new SubscriberDirectory();
  await fresh.reloadAll();
  const pending = fresh.find('dir-pw-b')!;
  expect(pending.passwordCheck).toBe('pending');
  expect(subscriberPassword(pending)).toBeNull();
  expect(subscriberPassword(fresh.find('dir-pw-a')!)).toBe('password-of-a');
  const report = await fresh.passwordsChecked();
  expect(report.checked).toBe(fresh.size);
  expect(report.fails).toBeGreaterThanOrEqual(1);
  expect(fresh.find('dir-pw-b')?.passwordCheck).toBe('fails');
  expect(fresh.find('dir-pw-a')?.passwordCheck).toBe('opens');
  expect(subscriberPassword(fresh.find('dir-pw-a')!)).toBe('password-of-a');

  // Set properly again (sealed for b's row), it opens.
  await db().execute(
    sql`update subscribers set password_enc = ${encryptSecret('new-password-of-b', subscriberPasswordBinding(b))} where id = ${b}`,
  );
  await directory.reloadSubscriber(b);
  expect(subscriberPassword(directory.find('dir-pw-b')!)).toBe('new-password-of-b');
});
