export function PageHeader({
  title,
  subtitle,
  actions,
}: {
  title: React.ReactNode;
  subtitle?: React.ReactNode;
  actions?: React.ReactNode;
}) {
  return (
    <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
      <div>
        <h1 className="break-words text-xl font-semibold text-slate-900">{title}</h1>
        {subtitle && <p className="mt-0.5 text-sm text-slate-500">{subtitle}</p>}
      </div>
      {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
    </div>
  );
}

/** A titled card; pages are a stack of these so later panels can be appended without reshuffling. */
export function Section({
  title,
  actions,
  children,
  testId,
}: {
  title: React.ReactNode;
  actions?: React.ReactNode;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    // min-w-0: in a grid, a wide table inside must scroll in its card instead of widening the page.
    <section data-testid={testId} className="min-w-0 rounded-lg border border-slate-200 bg-white shadow-sm">
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-2.5">
        <h2 className="text-sm font-semibold text-slate-800">{title}</h2>
        {actions}
      </header>
      <div className="p-3 sm:p-4">{children}</div>
    </section>
  );
}

/** Label/value pairs; two columns only in full-width cards, where one would leave half the card empty. */
export function DefinitionList({
  items,
  columns = 1,
}: {
  items: { label: string; value: React.ReactNode; testId?: string }[];
  columns?: 1 | 2;
}) {
  return (
    <dl className={`grid grid-cols-1 gap-x-6 gap-y-1.5 text-sm ${columns === 2 ? 'sm:grid-cols-2' : ''}`}>
      {items.map((it) => (
        <div key={it.label} className="flex gap-2">
          <dt className="w-28 shrink-0 text-slate-500 sm:w-32">{it.label}</dt>
          <dd className="min-w-0 break-words text-slate-900" data-testid={it.testId}>
            {it.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
