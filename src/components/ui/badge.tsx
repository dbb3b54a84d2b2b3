const tones = {
  green: 'bg-emerald-100 text-emerald-800 ring-emerald-600/20',
  grey: 'bg-slate-100 text-slate-600 ring-slate-500/20',
  red: 'bg-red-100 text-red-800 ring-red-600/20',
  amber: 'bg-amber-100 text-amber-800 ring-amber-600/20',
  blue: 'bg-sky-100 text-sky-800 ring-sky-600/20',
} as const;

export type BadgeTone = keyof typeof tones;

export function Badge({
  tone = 'grey',
  children,
  ...rest
}: { tone?: BadgeTone; children: React.ReactNode } & React.HTMLAttributes<HTMLSpanElement>) {
  return (
    <span
      {...rest}
      className={`inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[tone]} ${rest.className ?? ''}`}
    >
      {children}
    </span>
  );
}
