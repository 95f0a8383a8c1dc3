import { sameConfiguration } from './configuration.js';
import type { FlagChange } from './model.js';

/** created and deleted always notify; updated only when the configuration changed and the flag is on before or after. */
export function changeNotifies(change: FlagChange): boolean {
  if (change.action !== 'updated') return true;
  const before = change.oldFlag;
  const after = change.flag;
  if (!before || !after) return true;
  if (before.enabled !== true && after.enabled !== true) return false;
  return !sameConfiguration(before, after);
}
