'use client';

import dynamic from 'next/dynamic';

// Loaded on first open: the list needs no dialog code until someone closes a session by hand.
export const CloseSessionDialog = dynamic(() => import('./close-session-dialog').then((m) => m.CloseSessionDialog), { ssr: false });
