import { describe, expect, it } from 'vitest';
import { chiSquareSurvival } from '../../src/experiments/chi-square.js';
import { DEFAULT_SRM_THRESHOLD, isSrmThreshold, sampleRatioMismatch, srmTransition } from '../../src/experiments/srm.js';
import { parseSrmThreshold } from '../../src/settings/srm-threshold.js';
import { evenPlan, pOfSplit, splitAtP } from '../helpers/srm-splits.js';

describe('chiSquareSurvival', () => {
  it.each([
    [3.841, 1, 0.05],
    [6.635, 1, 0.01],
    [10.828, 1, 0.001],
    [5.991, 2, 0.05],
    [13.816, 2, 0.001],
    [16.266, 3, 0.001],
    [18.307, 10, 0.05],
  ])('χ²=%d with df=%d gives p≈%d', (x, df, p) => {
    expect(chiSquareSurvival(x, df)).toBeCloseTo(p, 4);
  });

  it('matches closed forms: df=2 is exp(-x/2)', () => {
    expect(chiSquareSurvival(1, 2)).toBeCloseTo(Math.exp(-0.5), 12);
    expect(chiSquareSurvival(40, 2)).toBeCloseTo(Math.exp(-20), 15);
  });

  it('is 1 at zero and refuses non-positive df', () => {
    expect(chiSquareSurvival(0, 1)).toBe(1);
    expect(() => chiSquareSurvival(1, 0)).toThrow(RangeError);
  });
});

describe('sampleRatioMismatch', () => {
  it('passes an even split that is close to plan', () => {
    const r = sampleRatioMismatch([
      { variant: 'control', exposures: 5030, allocation: 50 },
      { variant: 'treatment', exposures: 4970, allocation: 50 },
    ]);
    expect(r).toMatchObject({ testable: true, degreesOfFreedom: 1, mismatch: false });
    if (r.testable) expect(r.chiSquare).toBeCloseTo(0.36, 10);
  });

  it('fails a 50/50 plan observed as 5200/4800 (χ²=16, p≈6.3e-5)', () => {
    const r = sampleRatioMismatch([
      { variant: 'control', exposures: 5200, allocation: 0.5 },
      { variant: 'treatment', exposures: 4800, allocation: 0.5 },
    ]);
    expect(r.testable && r.chiSquare).toBeCloseTo(16, 10);
    expect(r.testable && r.pValue).toBeCloseTo(6.334e-5, 7);
    expect(r.testable && r.mismatch).toBe(true);
  });

  it('uses the planned allocation, not an even split', () => {
    const r = sampleRatioMismatch([
      { variant: 'a', exposures: 8000, allocation: 80 },
      { variant: 'b', exposures: 1000, allocation: 10 },
      { variant: 'c', exposures: 1000, allocation: 10 },
    ]);
    expect(r).toMatchObject({ testable: true, degreesOfFreedom: 2, chiSquare: 0, pValue: 1, mismatch: false });
  });

  it('is not testable without two planned variants or without exposures', () => {
    expect(sampleRatioMismatch([{ variant: 'a', exposures: 10, allocation: 1 }]).testable).toBe(false);
    expect(
      sampleRatioMismatch([
        { variant: 'a', exposures: 0, allocation: 1 },
        { variant: 'b', exposures: 0, allocation: 1 },
      ]).testable,
    ).toBe(false);
  });
});

describe('srmTransition', () => {
  const failing = sampleRatioMismatch([
    { variant: 'a', exposures: 5200, allocation: 1 },
    { variant: 'b', exposures: 4800, allocation: 1 },
  ]);
  const healthy = sampleRatioMismatch([
    { variant: 'a', exposures: 5000, allocation: 1 },
    { variant: 'b', exposures: 5000, allocation: 1 },
  ]);

  it('notifies on the first failure, not while it keeps failing, and again after a recovery', () => {
    let state = false;
    const notes: boolean[] = [];
    for (const r of [healthy, failing, failing, healthy, failing]) {
      const t = srmTransition(state, r);
      notes.push(t.notify);
      state = t.failing;
    }
    expect(notes).toEqual([false, true, false, false, true]);
  });
});

describe('the SRM threshold', () => {
  it('decides the mismatch: p ≈ 0.0005 fails at the default 0.001 and passes at 0.0001', () => {
    const split = splitAtP(0.0005);
    const p = pOfSplit(...split);
    expect(p).toBeGreaterThan(0.0001);
    expect(p).toBeLessThan(0.001);
    expect(sampleRatioMismatch(evenPlan(...split))).toMatchObject({ mismatch: true });
    expect(sampleRatioMismatch(evenPlan(...split), DEFAULT_SRM_THRESHOLD)).toMatchObject({ mismatch: true });
    expect(sampleRatioMismatch(evenPlan(...split), 0.0001)).toMatchObject({ mismatch: false, pValue: p });
  });

  it('may be set to more than 0 and at most 0.05', () => {
    expect([1e-12, 0.0001, 0.001, 0.05].every(isSrmThreshold)).toBe(true);
    expect([0, -0.001, 0.0501, 1, Number.NaN, Number.POSITIVE_INFINITY].some(isSrmThreshold)).toBe(false);
  });

  it('is read from the form as a decimal or in scientific notation', () => {
    expect(parseSrmThreshold(' 0.0001 ')).toEqual({ ok: true, threshold: 0.0001 });
    expect(parseSrmThreshold('1e-4')).toEqual({ ok: true, threshold: 0.0001 });
    expect(parseSrmThreshold('.05')).toEqual({ ok: true, threshold: 0.05 });
    expect(parseSrmThreshold('')).toEqual({ ok: false, reason: 'give a p-value, e.g. 0.001' });
    for (const typed of ['abc', '0,001', '-0.001', '+0.001', '0x1', 'Infinity', '1/1000', '0.001 0.002']) {
      expect(parseSrmThreshold(typed), typed).toEqual({ ok: false, reason: `"${typed}" is not a number` });
    }
    for (const typed of ['0', '0.0', '1e-400', '0.06', '1', '5e-1']) {
      expect(parseSrmThreshold(typed), typed).toEqual({ ok: false, reason: 'must be more than 0 and at most 0.05' });
    }
  });
});
