import { buttonClass } from '@/components/ui/button';

const input = 'w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm max-md:min-h-10 max-sm:text-base';

/**
 * Which interface of a NAS to torch: a plain GET form to /nas/[id]/torch, so the page's URL is the torch
 * (bookmarkable, and Back stops it). The page validates what arrives.
 */
export function NasTorchForm({ nasId, values = {} }: { nasId: number; values?: { interface?: string; src?: string; dst?: string } }) {
  return (
    <form action={`/nas/${nasId}/torch`} method="get" className="flex flex-wrap items-end gap-3" data-testid="nas-torch-form">
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 max-sm:w-full">
        Interface
        <input
          name="interface"
          required
          maxLength={64}
          defaultValue={values.interface ?? 'ether1'}
          className={`${input} font-mono sm:w-44`}
        />
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 max-sm:w-full">
        Source address (optional)
        <input name="src" maxLength={18} placeholder="10.0.0.0/24" defaultValue={values.src} className={`${input} font-mono sm:w-40`} />
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 max-sm:w-full">
        Destination address (optional)
        <input name="dst" maxLength={18} placeholder="any" defaultValue={values.dst} className={`${input} font-mono sm:w-40`} />
      </label>
      <button type="submit" className={buttonClass('primary')} data-testid="nas-torch-start">
        Start torch
      </button>
    </form>
  );
}
