import { isSrmThreshold, MAX_SRM_THRESHOLD } from '../experiments/srm.js';

export type SrmThresholdParse = { ok: true; threshold: number } | { ok: false; reason: string };

// A plain decimal or scientific notation ("0.0001", "1e-4"); no signs, no commas, no hex.
const NUMBER = /^(\d{1,3}(\.\d{0,20})?|\.\d{1,20})(e-?\d{1,3})?$/i;

/** "0.0001" → the p below which exposures count as a sample-ratio mismatch: a number with 0 < p ≤ 0.05. */
export function parseSrmThreshold(text: string): SrmThresholdParse {
  const typed = text.trim();
  if (typed === '') return { ok: false, reason: 'give a p-value, e.g. 0.001' };
  if (!NUMBER.test(typed)) return { ok: false, reason: `"${typed.slice(0, 40)}" is not a number` };
  const threshold = Number(typed);
  if (!isSrmThreshold(threshold)) return { ok: false, reason: `must be more than 0 and at most ${MAX_SRM_THRESHOLD}` };
  return { ok: true, threshold };
}
