'use client';

import dynamic from 'next/dynamic';

// The table needs none of the dialogs' code (Radix, react-hook-form, the zod schema) until one is opened.
export const PlanFormDialog = dynamic(() => import('./plan-form-dialog').then((m) => m.PlanFormDialog), { ssr: false });
export const PlanDeleteDialog = dynamic(() => import('./plan-delete-dialog').then((m) => m.PlanDeleteDialog), { ssr: false });
