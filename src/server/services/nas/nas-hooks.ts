import type { Tx } from '@/server/db/client';
import { queuePoolImport } from '@/server/services/pools/pool-import-queue';

export interface NasSavedEvent {
  nasId: number;
  /** True when the save added or changed API credentials (or the API endpoint), so pools should be re-read. */
  apiCredentialsChanged: boolean;
  reason: 'create' | 'update';
}

/** Work that must commit together with a NAS save: the durable pool-import request. */
export async function afterNasSaved(tx: Tx, event: NasSavedEvent): Promise<void> {
  if (event.apiCredentialsChanged) await queuePoolImport(tx, event.nasId, event.reason);
}
