import type { RouterOutputs } from '@/trpc/types';

/** What the subscriber pages receive, as the router declares it (never a server file's own types). */
export type SubscriberListItem = RouterOutputs['subscribers']['list']['items'][number];
export type SubscriberDetail = RouterOutputs['subscribers']['get'];
export type SubscriberFormOptions = RouterOutputs['subscribers']['formOptions'];
