import { buttonClass } from '@/components/ui/button';

/** Export CSV: a plain download of the route handler's stream, with the list's NAS filter; passwords are never in it. */
export function SubscriberExportButton({ nasId }: { nasId: number | null }) {
  return (
    <a
      href={`/api/subscribers/export${nasId !== null ? `?nas_id=${nasId}` : ''}`}
      download
      className={buttonClass('secondary')}
      data-testid="subscriber-export-button"
      title={
        nasId !== null
          ? 'The subscribers of the NAS filtered on, as CSV (without passwords)'
          : 'Every subscriber you see, as CSV (without passwords)'
      }
    >
      Export CSV
    </a>
  );
}
