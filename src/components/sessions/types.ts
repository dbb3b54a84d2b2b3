import type { RouterOutputs } from '@/trpc/types';

/** What the Sessions page receives, as the router declares it. */
export type SessionListItem = RouterOutputs['sessions']['list']['items'][number];
export type SessionCursor = NonNullable<RouterOutputs['sessions']['list']['nextCursor']>;
/** The answer of a Disconnect or a close by hand, shown above the table. */
export type SessionActionResult = { username: string; ok: boolean; message: string };
