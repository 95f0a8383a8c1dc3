import { readFileSync } from 'node:fs';

/** A payload copied from Unleash's docs or code; `source` names where. */
export interface UnleashFixture {
  source: string;
  note?: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export function fixture(name: string): UnleashFixture {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as UnleashFixture;
}
