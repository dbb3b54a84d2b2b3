import { describe, expect, it } from 'vitest';
import { fieldErrorsOf } from './field-errors';
import { ZCreatePlanInput, ZPlanOptionsInput, ZUpdatePlanInput } from './plans';

const base = { name: 'Home 50', downloadRate: '50', downloadUnit: 'M', uploadRate: '10', uploadUnit: 'M' } as const;
const burst = {
  burstDownloadRate: '80',
  burstDownloadUnit: 'M',
  burstUploadRate: '15',
  burstUploadUnit: 'M',
  burstThresholdDownloadRate: '40',
  burstThresholdDownloadUnit: 'M',
  burstThresholdUploadRate: '8',
  burstThresholdUploadUnit: 'M',
  burstTimeS: '16',
} as const;

/** The field errors of a parse that must fail. */
function errorsOf(input: unknown) {
  const r = ZCreatePlanInput.safeParse(input);
  expect(r.success).toBe(false);
  return fieldErrorsOf(r.error!);
}

describe('ZCreatePlanInput', () => {
  it('stores rates in kbit/s from a number and a unit, and leaves the optional parts unset', () => {
    expect(ZCreatePlanInput.parse({ ...base, downloadRate: '1.5', downloadUnit: 'G', uploadRate: '512', uploadUnit: 'k' })).toEqual({
      name: 'Home 50',
      downloadKbps: 1_500_000,
      uploadKbps: 512,
      burstDownloadKbps: null,
      burstUploadKbps: null,
      burstThresholdDownloadKbps: null,
      burstThresholdUploadKbps: null,
      burstTimeS: null,
      filterId: '',
      defaultNasId: null,
      framedPool: '',
      sessionTimeoutS: null,
      interimIntervalS: null,
      resellerIds: [],
    });
  });

  it('takes a complete burst, the other settings, and de-duplicates reseller ids', () => {
    const v = ZCreatePlanInput.parse({
      ...base,
      ...burst,
      filterId: ' RES-50M ',
      defaultNasId: 3,
      framedPool: 'ppp-main',
      sessionTimeoutS: '86400',
      interimIntervalS: 300,
      resellerIds: [2, 1, 2],
    });
    expect(v).toMatchObject({
      downloadKbps: 50_000,
      uploadKbps: 10_000,
      burstDownloadKbps: 80_000,
      burstUploadKbps: 15_000,
      burstThresholdDownloadKbps: 40_000,
      burstThresholdUploadKbps: 8_000,
      burstTimeS: 16,
      filterId: 'RES-50M',
      defaultNasId: 3,
      framedPool: 'ppp-main',
      sessionTimeoutS: 86_400,
      interimIntervalS: 300,
      resellerIds: [2, 1],
    });
  });

  it('names the field in every error of a bad form', () => {
    const e = errorsOf({
      name: ' ',
      downloadRate: '',
      uploadRate: 'fast',
      uploadUnit: 'T',
      filterId: 'a\nb',
      defaultNasId: 0,
      framedPool: 'x'.repeat(254),
      sessionTimeoutS: '10',
      interimIntervalS: '1.5',
      resellerIds: ['one'],
    });
    expect(e.name).toEqual(['Name is required']);
    expect(e.downloadRate).toEqual(['Download rate is required']);
    expect(e.uploadRate).toEqual(['Upload rate must be a number such as 10 or 1.5']);
    expect(e.uploadUnit).toEqual(['Upload rate unit must be k, M or G (bit/s)']);
    expect(e.filterId).toEqual(['Filter-Id must not contain control characters']);
    expect(e.defaultNasId?.[0]).toMatch(/^Default NAS must be between 1 and/);
    expect(e.framedPool?.[0]).toBe('Framed-Pool must be at most 253 characters');
    expect(e.sessionTimeoutS).toEqual(['Session timeout must be a whole number of seconds between 60 and 31536000']);
    expect(e.interimIntervalS).toEqual(['Interim interval must be a whole number of seconds between 60 and 86400']);
    expect(e.resellerIds?.[0]).toBe('Reseller must be a number');
  });

  it('refuses rates of zero, fractions of a kbit/s and rates no RADIUS rate attribute can carry', () => {
    expect(errorsOf({ ...base, downloadRate: '0' }).downloadRate).toEqual(['Download rate must be more than 0']);
    expect(errorsOf({ ...base, uploadRate: '0.5', uploadUnit: 'k' }).uploadRate?.[0]).toMatch(
      /^Upload rate must be a whole number of kbit\/s/,
    );
    expect(errorsOf({ ...base, downloadRate: '5', downloadUnit: 'G' }).downloadRate?.[0]).toMatch(
      /^Download rate must be at most 4294967 kbit\/s/,
    );
    expect(ZCreatePlanInput.parse({ ...base, downloadRate: '4294967', downloadUnit: 'k' }).downloadKbps).toBe(4_294_967);
  });

  it('counts a Filter-Id in bytes, as RADIUS does', () => {
    expect(errorsOf({ ...base, filterId: 'é'.repeat(127) }).filterId).toEqual([
      "Filter-Id must be at most 253 bytes (a RADIUS attribute's limit)",
    ]);
    expect(ZCreatePlanInput.parse({ ...base, filterId: 'é'.repeat(126) }).filterId).toHaveLength(126);
  });

  it('wants all of burst or none, and says which part is missing', () => {
    const e = errorsOf({ ...base, burstDownloadRate: '80' });
    expect(e.burstUploadRate).toEqual(['Burst upload rate is required when burst is set (all burst fields or none)']);
    expect(e.burstThresholdDownloadRate?.[0]).toMatch(/^Burst threshold download is required when burst is set/);
    expect(e.burstThresholdUploadRate?.[0]).toMatch(/^Burst threshold upload is required when burst is set/);
    expect(e.burstTimeS).toEqual(['Burst time is required when burst is set (all burst fields or none)']);
    expect(e.burstDownloadRate).toBeUndefined();
    expect(errorsOf({ ...base, burstTimeS: '10' }).burstDownloadRate?.[0]).toMatch(/^Burst download rate is required/);
  });

  it('wants burst at least the rate and the threshold at most the rate (what MikroTik needs to burst at all)', () => {
    const e = errorsOf({
      ...base,
      ...burst,
      burstDownloadRate: '40',
      burstUploadRate: '9',
      burstThresholdDownloadRate: '60',
      burstThresholdUploadRate: '11',
    });
    expect(e.burstDownloadRate).toEqual(['Burst download rate must be at least the download rate (50000 kbit/s)']);
    expect(e.burstUploadRate).toEqual(['Burst upload rate must be at least the upload rate (10000 kbit/s)']);
    expect(e.burstThresholdDownloadRate).toEqual(['Burst threshold download must be at most the download rate (50000 kbit/s)']);
    expect(e.burstThresholdUploadRate).toEqual(['Burst threshold upload must be at most the upload rate (10000 kbit/s)']);
    // Units are compared as rates, not as typed numbers: 50000 k is 50 M.
    expect(() => ZCreatePlanInput.parse({ ...base, ...burst, burstDownloadRate: '50000', burstDownloadUnit: 'k' })).not.toThrow();
    expect(errorsOf({ ...base, ...burst, burstTimeS: '0' }).burstTimeS).toEqual([
      'Burst time must be a whole number of seconds between 1 and 3600',
    ]);
  });
});

describe('ZUpdatePlanInput and the options input', () => {
  it('needs a valid plan id and keeps it', () => {
    expect(ZUpdatePlanInput.parse({ ...base, id: 7 }).id).toBe(7);
    const r = ZUpdatePlanInput.safeParse({ ...base, id: -1 });
    expect(fieldErrorsOf(r.error!).id?.[0]).toMatch(/^Plan id must be between 1 and/);
  });

  it('takes an optional reseller id and refuses a bad one', () => {
    expect(ZPlanOptionsInput.parse(undefined)).toEqual({});
    expect(ZPlanOptionsInput.parse({ resellerId: 4 })).toEqual({ resellerId: 4 });
    const r = ZPlanOptionsInput.safeParse({ resellerId: 1.5 });
    expect(fieldErrorsOf(r.error!).resellerId).toEqual(['Reseller must be a whole number']);
  });
});
