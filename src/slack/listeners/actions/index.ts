import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';
import type { AlertOperationsDeps } from '../../../alerts/operations/deps.js';
import { ACTION, NOTIFICATION_PREFERENCE_ACTION } from '../../views/ids.js';
import { alertButton } from './alert-button.js';
import { homePage } from './home-page.js';
import { notificationPreferences } from './notification-preferences.js';
import { openAlertModal } from './open-alert-modal.js';
import { refreshAlertModal } from './refresh-alert-modal.js';
import { viewChangeDetails } from './view-change-details.js';
import { OPEN_FLAG_ACTION_ID } from '../../../formatting/buttons.js';
import { VIEW_DETAILS_ACTION_ID } from '../../../formatting/slack-message.js';
import { openFlagLink } from './open-flag-link.js';

/** Registers every action listener: one file each, one line each here. */
export function register(app: App, deps: AppDeps, ops: AlertOperationsDeps): void {
  app.action(ACTION.scopeChoice, refreshAlertModal(deps));
  app.action(ACTION.destinationChoice, refreshAlertModal(deps));
  app.action(ACTION.projectSelect, refreshAlertModal(deps));
  app.action(ACTION.generateKey, refreshAlertModal(deps, { generateKey: true }));
  app.action(ACTION.homeCreate, openAlertModal(deps, 'create'));
  app.action(ACTION.alertEdit, openAlertModal(deps, 'edit'));
  app.action(ACTION.alertPause, alertButton(deps, ops, 'pause'));
  app.action(ACTION.alertResume, alertButton(deps, ops, 'resume'));
  app.action(ACTION.alertTest, alertButton(deps, ops, 'test'));
  app.action(ACTION.alertDelete, alertButton(deps, ops, 'delete'));
  app.action(ACTION.homeNext, homePage(deps));
  app.action(ACTION.homePrevious, homePage(deps));
  app.action(NOTIFICATION_PREFERENCE_ACTION, notificationPreferences(deps));
  app.action(VIEW_DETAILS_ACTION_ID, viewChangeDetails(deps));
  app.action(OPEN_FLAG_ACTION_ID, openFlagLink);
}
