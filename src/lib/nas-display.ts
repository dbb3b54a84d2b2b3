/** Short name falls back to name wherever the short label is shown. */
export function displayShortName(n: { name: string; shortName: string }): string {
  return n.shortName || n.name;
}
