import { describe, expect, it } from 'vitest';
import { ZCreatePlanInput } from '@/lib/schemas/plans';
import { planFormValues, type PlanRow } from './plan-form-values';

const stored: PlanRow = {
  id: 1,
  name: 'Gold',
  downloadKbps: 1_500,
  uploadKbps: 2_000_000,
  burstDownloadKbps: 3_000,
  burstUploadKbps: 2_000_000,
  burstThresholdDownloadKbps: 1_000,
  burstThresholdUploadKbps: 1_000_000,
  burstTimeS: 8,
  filterId: 'GOLD',
  framedPool: 'ppp-main',
  defaultNas: { id: 4, name: 'core' },
  sessionTimeoutS: null,
  interimIntervalS: 300,
  resellers: [{ id: 9, name: 'r' }],
  subscriberCount: 0,
  updatedAt: new Date(0).toISOString(),
};

describe('planFormValues', () => {
  it('round-trips a stored plan through the form unchanged', () => {
    const v = planFormValues(stored);
    expect(v).toMatchObject({
      downloadRate: '1500',
      downloadUnit: 'k',
      uploadRate: '2',
      uploadUnit: 'G',
      burstDownloadRate: '3',
      burstDownloadUnit: 'M',
    });
    const { id: _id, subscriberCount: _n, updatedAt: _u, defaultNas, resellers, ...columns } = stored;
    expect(ZCreatePlanInput.parse(v)).toEqual({ ...columns, defaultNasId: defaultNas!.id, resellerIds: resellers.map((r) => r.id) });
  });
});
