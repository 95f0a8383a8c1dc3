import type { Kysely } from 'kysely';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { Database } from '../../storage/schema.js';
import type { KnownSources } from '../known-sources.js';
import type { SourceRegistry } from '../registry.js';

/**
 * What the source operations use, the same for the settings page and the CLI. Each operation takes only the
 * part it needs, so the CLI opens no encryption key to list or delete.
 */
export interface SourceOperationsDeps {
  db: Kysely<Database>;
  /** seals the secret; the webhook route opens it with the same key */
  box: SecretBox;
  /** the platforms a source may be of, by kind */
  sources: SourceRegistry;
  /** PUBLIC_URL: a source's URL is `<publicUrl>/api/v1/sources/<id>` */
  publicUrl: string;
  now: () => number;
  /** the running app's remembered sources, forgotten on rotation and deletion (the CLI has its own, empty one) */
  knownSources: KnownSources;
}
