import { chiSquareSurvival } from './chi-square.js';

/** p below which a traffic split counts as a sample-ratio mismatch (the default). */
export const DEFAULT_SRM_THRESHOLD = 0.001;
/** The loosest threshold an organization may choose: above it, ordinary noise would warn every day. */
export const MAX_SRM_THRESHOLD = 0.05;

/** Whether p is a threshold an organization may set: 0 < p ≤ MAX_SRM_THRESHOLD. */
export function isSrmThreshold(p: number): boolean {
  return Number.isFinite(p) && p > 0 && p <= MAX_SRM_THRESHOLD;
}

export interface VariantExposure {
  variant: string;
  /** People exposed to this variant so far. */
  exposures: number;
  /** Planned share of traffic; shares are normalized, so weights like 50/50 or 0.5/0.5 both work. */
  allocation: number;
}

export type SrmResult =
  { testable: false; reason: string } | { testable: true; chiSquare: number; degreesOfFreedom: number; pValue: number; mismatch: boolean };

/**
 * Chi-square goodness of fit of the observed exposures against the planned allocation.
 * Not testable (never a mismatch) with fewer than two planned variants or no exposures yet.
 */
export function sampleRatioMismatch(variants: readonly VariantExposure[], threshold = DEFAULT_SRM_THRESHOLD): SrmResult {
  const planned = variants.filter((v) => v.allocation > 0);
  if (planned.length < 2) return { testable: false, reason: 'fewer than two variants with a planned allocation' };
  // Exposures in a variant planned at 0 % are themselves a mismatch the test cannot express; they are left out.
  const total = planned.reduce((sum, v) => sum + v.exposures, 0);
  if (total <= 0) return { testable: false, reason: 'no exposures yet' };
  const weight = planned.reduce((sum, v) => sum + v.allocation, 0);
  let chiSquare = 0;
  for (const v of planned) {
    const expected = (total * v.allocation) / weight;
    chiSquare += (v.exposures - expected) ** 2 / expected;
  }
  const degreesOfFreedom = planned.length - 1;
  const pValue = chiSquareSurvival(chiSquare, degreesOfFreedom);
  return { testable: true, chiSquare, degreesOfFreedom, pValue, mismatch: pValue < threshold };
}

/**
 * Whether this result deserves a notification: only on the transition into failing,
 * so a persistent mismatch notifies once and a recovery re-arms it.
 */
export function srmTransition(wasFailing: boolean, result: SrmResult): { failing: boolean; notify: boolean } {
  const failing = result.testable && result.mismatch;
  return { failing, notify: failing && !wasFailing };
}
