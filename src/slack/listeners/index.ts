import type { App } from '@slack/bolt';
import type { AppDeps } from '../../app-deps.js';
import type { AlertOperationsDeps } from '../../alerts/operations/deps.js';
import * as actions from './actions/index.js';
import * as commands from './commands/index.js';
import * as events from './events/index.js';
import * as options from './options/index.js';
import * as views from './views/index.js';

/** Every Slack surface registers here, one folder each (commands, actions, views, options, events). */
export function registerListeners(app: App, deps: AppDeps, alertOps: AlertOperationsDeps): void {
  commands.register(app, deps, alertOps);
  actions.register(app, deps, alertOps);
  views.register(app, deps, alertOps);
  options.register(app, deps);
  events.register(app, deps);
}
