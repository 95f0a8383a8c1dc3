import { describe, expect, it } from 'vitest';
import { isSignificant, shouldNotifySignificance } from '../../src/experiments/significance.js';

describe('significance', () => {
  const base = { metric: 'conversion', isRecommendationMetric: true };

  it('uses the p-value when given', () => {
    expect(isSignificant({ ...base, pValue: 0.049 })).toBe(true);
    expect(isSignificant({ ...base, pValue: 0.05 })).toBe(false);
    expect(isSignificant({ ...base, pValue: 0.02 }, 0.01)).toBe(false);
  });

  it('otherwise needs a confidence interval that excludes zero', () => {
    expect(isSignificant({ ...base, confidenceInterval: { lower: 0.01, upper: 0.2 } })).toBe(true);
    expect(isSignificant({ ...base, confidenceInterval: { lower: -0.3, upper: -0.1 } })).toBe(true);
    expect(isSignificant({ ...base, confidenceInterval: { lower: -0.1, upper: 0.2 } })).toBe(false);
    expect(isSignificant(base)).toBe(false);
  });

  it('notifies only for the recommendation metric, and only the first time', () => {
    expect(shouldNotifySignificance({ ...base, pValue: 0.01 }, false)).toBe(true);
    expect(shouldNotifySignificance({ ...base, pValue: 0.01 }, true)).toBe(false);
    expect(shouldNotifySignificance({ ...base, isRecommendationMetric: false, pValue: 0.01 }, false)).toBe(false);
  });
});
