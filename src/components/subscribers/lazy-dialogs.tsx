'use client';

import dynamic from 'next/dynamic';

// Loaded on first open, like the NAS dialogs: the list needs none of react-hook-form or the schemas until then.
export const SubscriberFormDialog = dynamic(() => import('./subscriber-form-dialog').then((m) => m.SubscriberFormDialog), { ssr: false });
export const SubscriberDeleteDialog = dynamic(() => import('./subscriber-delete-dialog').then((m) => m.SubscriberDeleteDialog), {
  ssr: false,
});
