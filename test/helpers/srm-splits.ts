import { sampleRatioMismatch } from '../../src/experiments/srm.js';

/** Exposures of a 50/50 plan, as an `experiment.exposures` event's variants. */
export const evenPlan = (control: number, treatment: number) => [
  { variant: 'control', exposures: control, allocation: 50 },
  { variant: 'treatment', exposures: treatment, allocation: 50 },
];

/** The p-value of a 50/50 plan observed as control/treatment, from the app's own chi-square test. */
export function pOfSplit(control: number, treatment: number): number {
  const r = sampleRatioMismatch(evenPlan(control, treatment));
  if (!r.testable) throw new Error('not testable');
  return r.pValue;
}

/** The first split of 10,000 exposures (50/50 planned) whose p-value falls to `p` or below: computed, not guessed. */
export function splitAtP(p: number): [number, number] {
  for (let control = 5000; control <= 10_000; control++) if (pOfSplit(control, 10_000 - control) <= p) return [control, 10_000 - control];
  throw new Error(`no split of 10,000 reaches p ${p}`);
}
