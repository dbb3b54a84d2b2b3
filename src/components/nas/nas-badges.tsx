import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';

// The browser never receives secrets: these badges are driven by the hasSecret / hasApiPassword booleans.
export function SecretBadge({ hasSecret, unreadable = false }: { hasSecret: boolean; unreadable?: boolean }) {
  if (unreadable) return <UnreadableBadge what="secret" />;
  return hasSecret ? (
    <Badge tone="green" data-testid="secret-badge" data-state="set">
      Set
    </Badge>
  ) : (
    <Badge tone="grey" data-testid="secret-badge" data-state="unset">
      No Secret
    </Badge>
  );
}

export function ApiBadge({ hasApiPassword, unreadable = false }: { hasApiPassword: boolean; unreadable?: boolean }) {
  if (unreadable) return <UnreadableBadge what="API password" />;
  return hasApiPassword ? (
    <Badge tone="green" data-testid="api-badge" data-state="set" title="MikroTik API password stored">
      API
    </Badge>
  ) : (
    <Badge tone="grey" data-testid="api-badge" data-state="unset" title="No MikroTik API password">
      No API
    </Badge>
  );
}

/** A stored value no configured key opens: it must be set anew (edit the NAS). */
function UnreadableBadge({ what }: { what: string }) {
  return (
    <Badge
      tone="red"
      data-testid={what === 'secret' ? 'secret-badge' : 'api-badge'}
      data-state="unreadable"
      title={`The stored ${what} does not decrypt with any configured key`}
    >
      {what} unreadable, set a new one
    </Badge>
  );
}

export function OnlineBadge({ isOnline }: { isOnline: boolean }) {
  return (
    <Badge tone={isOnline ? 'green' : 'red'} data-testid="status-badge" data-state={isOnline ? 'online' : 'offline'}>
      <span className={`mr-1 h-1.5 w-1.5 rounded-full ${isOnline ? 'bg-emerald-500' : 'bg-red-500'}`} aria-hidden="true" />
      {isOnline ? 'online' : 'offline'}
    </Badge>
  );
}

/** Online/offline, the inactive marker and "last seen": everything an operator scans the Status column for. */
export function NasStatus({ isOnline, isActive, lastSeen }: { isOnline: boolean; isActive: boolean; lastSeen: string | null }) {
  return (
    <div className="flex flex-col gap-0.5">
      <div className="flex flex-wrap items-center gap-1">
        <OnlineBadge isOnline={isOnline} />
        {!isActive && (
          <Badge tone="amber" data-testid="inactive-badge" title="Is Active is off: the NAS is disabled">
            inactive
          </Badge>
        )}
      </div>
      <span className="text-xs text-slate-500">
        last seen <RelativeTime iso={lastSeen} testId="last-seen" />
      </span>
    </div>
  );
}
