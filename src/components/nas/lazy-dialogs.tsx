'use client';

import dynamic from 'next/dynamic';

// The NAS pages need none of the dialogs' code (Radix, react-hook-form, the zod form schema) until one is
// opened: loading them on first open keeps the first load small (docs/BENCHMARKS.md, figure 7).
export const NasFormDialog = dynamic(() => import('./nas-form-dialog').then((m) => m.NasFormDialog), { ssr: false });
export const NasDeleteDialog = dynamic(() => import('./nas-delete-dialog').then((m) => m.NasDeleteDialog), { ssr: false });
export const TestConnectionDialog = dynamic(() => import('./test-connection-dialog').then((m) => m.TestConnectionDialog), { ssr: false });
