import type { PushSource, PushSourceKind } from './source-kind.js';

/** The platforms this build can verify and translate, by kind. Built in the composition root; tests hand in their own. */
export type SourceRegistry = ReadonlyMap<PushSourceKind, PushSource>;

/**
 * Every platform module, one line each (`import { launchdarklySource } from './launchdarkly/index.js'`…).
 * A kind listed in PUSH_SOURCE_KINDS but not here cannot be created yet.
 */
export const PUSH_SOURCES: readonly PushSource[] = [];

export function createSourceRegistry(sources: readonly PushSource[] = PUSH_SOURCES): SourceRegistry {
  return new Map(sources.map((source) => [source.kind, source]));
}
