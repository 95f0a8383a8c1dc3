import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';

/** Registers every action listener: one file each, one line each here. */
export function register(app: App, deps: AppDeps): void {
  void app;
  void deps;
}
