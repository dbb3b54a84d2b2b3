'use client';

import { useFormContext, useWatch } from 'react-hook-form';
import type { ReplyAttribute } from '@/lib/radius-reply';
import type { PlanFormInput } from './plan-form-values';
import { previewReplies } from './plan-preview';

/**
 * The Access-Accept a subscriber on this plan gets, per NAS type, as the form stands: built by the RADIUS
 * service's own function, so what is shown is what is sent.
 */
export function PlanReplyPreview() {
  const { control } = useFormContext<PlanFormInput>();
  const values = useWatch({ control }) as PlanFormInput;
  const preview = previewReplies(values);
  return (
    <aside
      className="space-y-3 self-start rounded-md border border-slate-200 bg-slate-50 p-3 lg:sticky lg:top-0"
      data-testid="plan-preview"
    >
      <div>
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Reply preview</h3>
        <p className="mt-0.5 text-xs text-slate-500">
          What an Access-Accept carries for a subscriber on this plan. A subscriber with a static IP gets Framed-IP-Address instead of
          Framed-Pool.
        </p>
      </div>
      {preview.ok ? (
        <>
          <Attributes title="MikroTik" attributes={preview.mikrotik} testId="plan-preview-mikrotik" />
          <Attributes title="Generic BNG (Cisco, Juniper, Huawei)" attributes={preview.generic} testId="plan-preview-generic" />
        </>
      ) : (
        <p className="text-sm text-slate-500" data-testid="plan-preview-incomplete">
          Enter valid download and upload rates (and burst complete or empty) to see the reply.
        </p>
      )}
    </aside>
  );
}

function Attributes({ title, attributes, testId }: { title: string; attributes: ReplyAttribute[]; testId: string }) {
  return (
    <div>
      <div className="text-xs font-medium text-slate-700">{title}</div>
      <pre
        className="mt-1 overflow-x-auto whitespace-pre-wrap break-all rounded bg-white p-2 font-mono text-xs text-slate-800 ring-1 ring-slate-200"
        data-testid={testId}
      >
        {attributes.map(([name, value]) => `${name} = ${typeof value === 'string' ? `"${value}"` : value}`).join('\n')}
      </pre>
    </div>
  );
}
