import './table-cards.css';

/**
 * Dense admin tables: small text, hover rows, header that explains itself. With `cards`, in a box narrower
 * than 48rem the rows read as cards (table-cards.css): give each Td its column's `label`, the name cell `cell="title"` and
 * the actions cell `cell="actions"`.
 */
export function Table({ children, testId, cards = false }: { children: React.ReactNode; testId?: string; cards?: boolean }) {
  const table = (
    <div className={`overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm ${cards ? 'table-cards' : ''}`}>
      <table data-testid={testId} className="min-w-full divide-y divide-slate-200 text-sm">
        {children}
      </table>
    </div>
  );
  // The cards' container query measures this wrapper: the width the table is given, not the viewport.
  return cards ? <div className="table-cards-container">{table}</div> : table;
}

export function Th({ children, className = '' }: { children?: React.ReactNode; className?: string }) {
  return (
    <th
      scope="col"
      className={`whitespace-nowrap bg-slate-50 px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 ${className}`}
    >
      {children}
    </th>
  );
}

export function Td({
  children,
  className = '',
  label,
  cell,
}: {
  children?: React.ReactNode;
  className?: string;
  /** The column's name, shown beside the value when the row is a card. */
  label?: string;
  /** Where the cell goes in a card: the first line's title, or its actions at the right. */
  cell?: 'title' | 'actions';
}) {
  return (
    <td data-label={label} data-cell={cell} className={`px-3 py-2 align-middle text-slate-700 ${className}`}>
      {children}
    </td>
  );
}

export function Tr({ children, ...rest }: React.HTMLAttributes<HTMLTableRowElement>) {
  return (
    <tr {...rest} className={`hover:bg-slate-50 ${rest.className ?? ''}`}>
      {children}
    </tr>
  );
}

/** A full-width row for loading, empty and error states inside a table body. */
export function TableMessage({ colSpan, children, testId }: { colSpan: number; children: React.ReactNode; testId?: string }) {
  return (
    <tr>
      <td colSpan={colSpan} data-testid={testId} className="px-3 py-10 text-center text-sm text-slate-500">
        {children}
      </td>
    </tr>
  );
}
