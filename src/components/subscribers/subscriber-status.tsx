'use client';

import { useCan } from '@/components/actor-context';
import { Badge } from '@/components/ui/badge';
import type { SubscriberListItem } from './types';
import { uptimeSince } from './format';

/** Enabled or disabled, and online now with the session's address and uptime. */
export function SubscriberStatus({ sub }: { sub: Pick<SubscriberListItem, 'enabled' | 'online'> }) {
  return (
    <span className="flex flex-wrap items-center gap-1">
      {!sub.enabled && (
        <Badge tone="amber" data-testid="subscriber-disabled">
          disabled
        </Badge>
      )}
      {sub.online ? (
        <Badge tone="green" data-testid="subscriber-online" title={`since ${sub.online.startedAt ?? 'unknown'}`}>
          online{sub.online.framedIp ? ` · ${sub.online.framedIp}` : ''} · {uptimeSince(sub.online.startedAt)}
        </Badge>
      ) : (
        <Badge tone="grey" data-testid="subscriber-offline">
          offline
        </Badge>
      )}
    </span>
  );
}

/**
 * The subscriber's reseller no longer has its NAS: it keeps working, but nobody could put it there now. A reseller
 * reads "your reseller"; someone who sees every reseller, "its reseller".
 */
export function NasNotAssignedBadge() {
  const seesAll = useCan()('nas.all');
  return (
    <Badge tone="red" data-testid="nas-not-assigned" title="The NAS was moved away from this subscriber's reseller">
      NAS not assigned to {seesAll ? 'its' : 'your'} reseller
    </Badge>
  );
}
