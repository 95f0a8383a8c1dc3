import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';
import type { AlertOperationsDeps } from '../../../alerts/operations/deps.js';
import { CALLBACK } from '../../views/ids.js';
import { alertModalSubmitted } from './alert-modal-submitted.js';

/** Registers every view listener: one file each, one line each here. */
export function register(app: App, deps: AppDeps, ops: AlertOperationsDeps): void {
  app.view(CALLBACK.alertModal, alertModalSubmitted(deps, ops));
}
