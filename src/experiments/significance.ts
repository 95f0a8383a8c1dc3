/** p below which a recommendation metric counts as significant (the default). */
export const DEFAULT_SIGNIFICANCE_LEVEL = 0.05;

export interface MetricResult {
  metric: string;
  isRecommendationMetric: boolean;
  pValue?: number | undefined;
  /** Confidence interval of the lift; significant when it excludes 0. */
  confidenceInterval?: { lower: number; upper: number } | undefined;
  lift?: number | undefined;
}

/** Significant by p-value when given, else by a confidence interval that excludes zero. */
export function isSignificant(result: MetricResult, level = DEFAULT_SIGNIFICANCE_LEVEL): boolean {
  if (result.pValue !== undefined) return result.pValue < level;
  const ci = result.confidenceInterval;
  return ci !== undefined && (ci.lower > 0 || ci.upper < 0);
}

/** Notify only the first time the recommendation metric is significant for an experiment. */
export function shouldNotifySignificance(result: MetricResult, alreadyNotified: boolean, level = DEFAULT_SIGNIFICANCE_LEVEL): boolean {
  return result.isRecommendationMetric && !alreadyNotified && isSignificant(result, level);
}
