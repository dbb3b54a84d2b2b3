// How much the panel accepts from one router, so a broken or hostile one cannot make it buffer without bound.
// Every cap sits well above what a real router sends for the menus the panel reads.

const MiB = 1024 * 1024;

/** One value: the longest real ones (script sources, certificates, comments) stay far below 64 KiB. */
export const MAX_WORD_BYTES = 1 * MiB;

/** Attributes in one row: `/system/resource` prints ~25, the widest v7 menus (ethernet stats) ~100. */
export const MAX_WORDS_PER_SENTENCE = 512;

/** `!re` rows in one reply: a big BNG's `/ppp/active` has ~64k sessions; 4x that. */
export const MAX_ROWS_PER_REPLY = 262_144;

/** Bytes in one reply: 64k full `/ppp/active` rows are ~16 MiB on the wire; twice that. */
export const MAX_REPLY_BYTES = 32 * MiB;

/** 1048576 → "1 MiB", 33554433 → "32 MiB", 700 → "700 bytes": limits read by people, not parsers. */
export function formatBytes(bytes: number): string {
  if (bytes >= MiB) return `${Number((bytes / MiB).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}
