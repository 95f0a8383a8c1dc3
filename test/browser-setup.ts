import type { TestProject } from 'vitest/node';
import { findChromium } from './helpers/browser.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** the Chromium the settings-page browser tests drive; null when none was found (never in CI) */
    chromiumPath: string | null;
  }
}

/** Finds Chromium once for the run. In CI its absence is a failure; elsewhere the browser tests skip. */
export default async function setup(project: TestProject): Promise<void> {
  const found = await findChromium();
  if ('path' in found) return project.provide('chromiumPath', found.path);
  if (process.env.CI === 'true') throw new Error(`Chromium is missing: ${found.missing}`);
  project.provide('chromiumPath', null);
}
