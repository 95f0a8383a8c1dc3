/** Block and action IDs shared by the view builders and the listeners, so they cannot drift apart. */

export const CALLBACK = {
  alertModal: 'alert_modal',
  notice: 'notice_modal',
} as const;

/** Input blocks of the alert modal; a field's errors are shown on its block. */
export const BLOCK = {
  project: 'project',
  projectOther: 'project_other',
  scope: 'scope',
  deployment: 'deployment',
  deploymentOther: 'deployment_other',
  tags: 'tags',
  tagsOther: 'tags_other',
  destination: 'destination',
  channel: 'channel',
  webhookUrl: 'webhook_url',
  /** gets a ".N" suffix after "Generate key", so Slack shows the new key instead of what was typed */
  signingKey: 'signing_key',
  generateKey: 'generate_key_block',
  events: 'events',
  name: 'name',
  // App Home: the viewer's experiment notification preferences
  notificationKinds: 'notification_kinds',
  notificationChannel: 'notification_channel',
} as const;

export const ACTION = {
  projectSelect: 'project_select',
  projectText: 'project_text',
  scopeChoice: 'scope_choice',
  deploymentSelect: 'deployment_select',
  deploymentText: 'deployment_text',
  tagsSelect: 'tags_select',
  tagsText: 'tags_text',
  destinationChoice: 'destination_choice',
  channelSelect: 'channel_select',
  webhookUrlInput: 'webhook_url_input',
  signingKeyInput: 'signing_key_input',
  generateKey: 'generate_key',
  eventsChoice: 'events_choice',
  nameInput: 'name_input',
  // App Home and messages
  homeCreate: 'home_create',
  homeNext: 'home_next',
  homePrevious: 'home_previous',
  alertEdit: 'alert_edit',
  alertPause: 'alert_pause',
  alertResume: 'alert_resume',
  alertTest: 'alert_test',
  /** the button carries Slack's confirm dialog; clicking it is the confirmation */
  alertDelete: 'alert_delete',
  /** checkboxes and radio buttons on the Home tab: each change saves the viewer's preference at once */
  notificationKinds: 'notification_kinds_choice',
  notificationChannel: 'notification_channel_choice',
} as const;

/** Either of the two preference elements, for one listener. */
export const NOTIFICATION_PREFERENCE_ACTION = new RegExp(`^(${ACTION.notificationKinds}|${ACTION.notificationChannel})$`);

/** Alerts per Home page: 2 blocks each, plus at most 12 around them (header, paging, preferences), stays far below Slack's 100-block limit. */
export const HOME_PAGE_SIZE = 20;
