export type Row = Record<string, string>;

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function splitPair(text: string): [string, string] {
  const eq = text.indexOf('=');
  return eq < 0 ? [text, ''] : [text.slice(0, eq), text.slice(eq + 1)];
}

/**
 * RouterOS query words form a stack program: each `?` word pushes a boolean, `?#` words combine
 * them (`|` or, `&` and, `!` not, `.` dup), and the row matches when everything left is true.
 */
export function matchesQuery(row: Row, queries: readonly string[]): boolean {
  const stack: boolean[] = [];
  for (const word of queries) {
    const q = word.slice(1);
    if (q.startsWith('#')) {
      for (const op of q.slice(1)) {
        if (op === '!') stack.push(!stack.pop());
        else if (op === '.') stack.push(stack.at(-1) ?? true);
        else if (op === '|' || op === '&') {
          const b = stack.pop() ?? true;
          const a = stack.pop() ?? true;
          stack.push(op === '|' ? a || b : a && b);
        }
      }
    } else if (q.startsWith('-')) {
      stack.push(!(q.slice(1) in row));
    } else if (q.startsWith('<') || q.startsWith('>')) {
      const [name, value] = splitPair(q.slice(1));
      const have = row[name];
      stack.push(have !== undefined && (q[0] === '<' ? compare(have, value) < 0 : compare(have, value) > 0));
    } else if (q.includes('=')) {
      const [name, value] = splitPair(q.startsWith('=') ? q.slice(1) : q);
      stack.push(row[name] === value);
    } else {
      stack.push(q in row);
    }
  }
  return stack.every(Boolean);
}

export function applyProplist(row: Row, proplist: readonly string[] | null): Row {
  if (!proplist) return row;
  const out: Row = {};
  for (const name of proplist) if (name in row) out[name] = row[name];
  return out;
}
