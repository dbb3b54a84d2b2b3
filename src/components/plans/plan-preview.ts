import { replyAttributes, type ReplyAttribute } from '@/lib/radius-reply';
import { ZCreatePlanInput, type PlanFormValues } from '@/lib/schemas/plans';

export type PlanPreview = { ok: true; mikrotik: ReplyAttribute[]; generic: ReplyAttribute[] } | { ok: false };

/**
 * What an Access-Accept carries for a subscriber on this plan (no static IP), per NAS type: the form's values
 * through the procedures' schema, then the RADIUS service's own attribute builder, so the preview is what the
 * service sends. Not ok while the form does not parse.
 */
export function previewReplies(values: PlanFormValues): PlanPreview {
  // The name is no reply attribute: the preview shows before one is typed.
  const parsed = ZCreatePlanInput.safeParse({ ...values, name: 'preview' });
  if (!parsed.success) return { ok: false };
  const subscriber = { staticIp: null };
  return {
    ok: true,
    mikrotik: replyAttributes({ type: 'mikrotik' }, subscriber, parsed.data),
    generic: replyAttributes({ type: 'generic' }, subscriber, parsed.data),
  };
}
