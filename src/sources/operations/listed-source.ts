import type { SourceRegistry } from '../registry.js';
import type { PushSourceKind } from '../source-kind.js';
import { SOURCES_PREFIX } from '../source.route.js';
import type { SourceSummary } from '../sources.repository.js';

/** A source as people see it: its summary, the URL its platform posts to and the platform's name. Never the secret. */
export interface ListedSource extends SourceSummary {
  url: string;
  /** the platform's name as people write it; the kind itself when this build has no module for it */
  label: string;
  /** the platform makes the secret, so a rotation needs the new one pasted (also when this build has no module for it) */
  secretFromPlatform: boolean;
}

export function sourceUrl(publicUrl: string, id: string): string {
  return `${publicUrl}${SOURCES_PREFIX}${id}`;
}

export function listedSource(deps: { publicUrl: string; sources: SourceRegistry }, source: SourceSummary): ListedSource {
  const platform = deps.sources.get(source.kind as PushSourceKind);
  return {
    ...source,
    url: sourceUrl(deps.publicUrl, source.id),
    label: platform?.label ?? source.kind,
    secretFromPlatform: platform?.secretOrigin !== 'generated',
  };
}
