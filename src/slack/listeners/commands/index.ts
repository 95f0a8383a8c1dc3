import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';
import type { AlertOperationsDeps } from '../../../alerts/operations/deps.js';
import { flagAlertCommand } from './flag-alert.js';

/** Registers every command listener: one file each, one line each here. */
export function register(app: App, deps: AppDeps, ops: AlertOperationsDeps): void {
  app.command('/flag-alert', flagAlertCommand(deps, ops));
}
