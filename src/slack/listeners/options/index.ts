import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';
import { ACTION } from '../../views/ids.js';
import { catalogOptions } from './catalog-options.js';

/** Registers every options listener (the modal's searching selects): one file each, one line each here. */
export function register(app: App, deps: AppDeps): void {
  app.options(ACTION.projectSelect, catalogOptions(deps, 'project'));
  app.options(ACTION.deploymentSelect, catalogOptions(deps, 'deployment'));
  app.options(ACTION.tagsSelect, catalogOptions(deps, 'tag'));
}
