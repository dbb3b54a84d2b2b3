import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';

/**
 * What the browser receives and sends, as the router declares it: components take their types from here,
 * never from server files, so the output whitelist is the only shape the UI can rely on.
 */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;

export type NasListItem = RouterOutputs['nas']['list']['items'][number];
export type NasDetail = RouterOutputs['nas']['get'];
