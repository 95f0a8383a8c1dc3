import { sameConfiguration } from './configuration.js';
import type { FlagChange, FlagState } from './model.js';

/**
 * created and deleted always notify; updated only when the configuration changed and the flag is on before or after.
 * An update without a previous state (a platform that sends none, on first sight) is a real change.
 */
export function changeNotifies(change: FlagChange): boolean {
  if (change.action !== 'updated') return true;
  const before = change.oldFlag;
  const after = change.flag;
  if (!before || !after) return true;
  if (!isActive(before, change) && !isActive(after, change)) return false;
  return !sameConfiguration(before, after);
}

/**
 * A flag-level change from a platform (tied to no environment) counts as active when the platform does not say:
 * it may well be on somewhere (contract section 7). Native events say, or the flag is taken as off.
 */
function isActive(flag: FlagState, change: FlagChange): boolean {
  return flag.enabled === true || (change.environment === null && (flag.enabled === null || flag.enabled === undefined));
}
