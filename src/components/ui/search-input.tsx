import { SearchIcon } from './icons';

/**
 * The lists' search box: a magnifier inside a `type=search` input. Full width and 40 px tall on a phone, with
 * 16 px text there so iOS does not zoom into it; a fixed width beside the filters from `sm` up.
 */
export function SearchInput({
  value,
  onChange,
  placeholder,
  label,
  testId,
  width = 'sm:w-64',
  className = '',
}: {
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  /** The accessible name: what is searched, e.g. "Search NAS by name or IP". */
  label: string;
  testId: string;
  width?: 'sm:w-64' | 'sm:w-72';
  className?: string;
}) {
  return (
    <div className={`relative ${className}`}>
      <SearchIcon className="pointer-events-none absolute left-2 top-1/2 h-4 w-4 -translate-y-1/2 text-slate-400" />
      <input
        type="search"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        aria-label={label}
        data-testid={testId}
        className={`w-full rounded-md border border-slate-300 bg-white py-1.5 pl-8 pr-2 text-sm max-md:min-h-10 max-sm:text-base ${width} focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-100`}
      />
    </div>
  );
}
