import { configcatSource } from './configcat/index.js';
import { flagsmithSource } from './flagsmith/index.js';
import { fliptSource } from './flipt/index.js';
import { growthbookSource } from './growthbook/index.js';
import { launchdarklySource } from './launchdarkly/index.js';
import type { PushSource, PushSourceKind } from './source-kind.js';
import { unleashSource } from './unleash/index.js';

/** The platforms this build can verify and translate, by kind. Built in the composition root; tests hand in their own. */
export type SourceRegistry = ReadonlyMap<PushSourceKind, PushSource>;

/** Every platform module; a kind listed in PUSH_SOURCE_KINDS but not here cannot be created. */
export const PUSH_SOURCES: readonly PushSource[] = [launchdarklySource, unleashSource, flagsmithSource, growthbookSource, configcatSource, fliptSource];

export function createSourceRegistry(sources: readonly PushSource[] = PUSH_SOURCES): SourceRegistry {
  return new Map(sources.map((source) => [source.kind, source]));
}
