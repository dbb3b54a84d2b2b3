import { Badge } from '@/components/ui/badge';
import { Spinner } from '@/components/ui/button';
import type { NasListItem } from '@/trpc/types';

/** Where the NAS's pool import stands; a failure carries its reason as a tooltip and in the detail view. */
export function PoolImportBadge({ state, error }: { state: NasListItem['poolImportState']; error: string }) {
  switch (state) {
    case 'queued':
      return (
        <Badge tone="blue" data-testid="pool-import-state" data-state="queued">
          pools queued
        </Badge>
      );
    case 'importing':
      return (
        <Badge tone="blue" data-testid="pool-import-state" data-state="importing">
          <Spinner className="mr-1 h-3 w-3" /> importing pools
        </Badge>
      );
    case 'retrying':
      return (
        <Badge tone="amber" data-testid="pool-import-state" data-state="retrying" title={error}>
          pool import retrying
        </Badge>
      );
    case 'failed':
      return (
        <Badge tone="red" data-testid="pool-import-state" data-state="failed" title={error}>
          pool import failed
        </Badge>
      );
    case 'done':
      return (
        <Badge tone="green" data-testid="pool-import-state" data-state="done">
          pools imported
        </Badge>
      );
    default:
      return null;
  }
}

export const importInProgress = (state: NasListItem['poolImportState']) => state === 'queued' || state === 'importing';
