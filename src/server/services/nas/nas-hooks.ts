import type { Tx } from '@/server/db/client';

export interface NasSavedEvent {
  nasId: number;
  /** True when the save added or changed API credentials (or the API endpoint), so pools should be re-read. */
  apiCredentialsChanged: boolean;
  reason: 'create' | 'update';
}

/** Work that must commit together with a NAS save (the durable pool-import queue hooks in here). */
export async function afterNasSaved(_tx: Tx, _event: NasSavedEvent): Promise<void> {}
