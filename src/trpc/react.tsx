'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { createTRPCReact } from '@trpc/react-query';
import { useState } from 'react';
import type { AppRouter } from '@/server/api/root';
import type { FieldErrors } from '@/lib/schemas/field-errors';

export const api = createTRPCReact<AppRouter>();

export function TRPCProvider({ children }: { children: React.ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, refetchOnWindowFocus: true, retry: 1 } } }),
  );
  const [client] = useState(() =>
    api.createClient({
      links: [
        // Subscriptions (Live Torch) are server-sent events on the same endpoint; everything else stays batched.
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink({ url: '/api/trpc' }),
          false: httpBatchLink({ url: '/api/trpc' }),
        }),
      ],
    }),
  );
  return (
    <api.Provider client={client} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </api.Provider>
  );
}

/** Field errors a procedure returned (zod or domain), keyed by input name. */
export function fieldErrorsFrom(error: unknown): FieldErrors {
  if (error instanceof TRPCClientError) return (error.data?.fieldErrors as FieldErrors | null) ?? {};
  return {};
}
