import type { App } from '@slack/bolt';
import type { AppDeps } from '../../app-deps.js';
import * as events from './events/index.js';

/** Every Slack surface registers here, one folder each (commands, actions, views, events). */
export function registerListeners(app: App, deps: AppDeps): void {
  events.register(app, deps);
}
