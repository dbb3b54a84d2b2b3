/**
 * RouterOS API word-length encodings, [length, prefix as hex], as listed in the protocol reference
 * (reference/routeros-api.md). The client's codec and the simulator's are written independently of each
 * other; both are checked against these.
 */
export const LENGTH_VECTORS: [number, string][] = [
  [0x01, '01'],
  [0x87, '8087'],
  [0x100, '8100'],
  [0x4321, 'c04321'],
  [0x2acdef, 'e02acdef'],
  [0x10000080, 'f010000080'],
];
