import { z } from 'zod';
import { zId } from './common';

export const ZSubscriberImportId = z.object({ id: zId('Import id') });
export const ZListSubscriberImportsInput = z.object({ limit: z.number().int().min(1).max(100).default(20) });
