import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../storage/schema.js';
import { NOTIFICATION_KINDS, type NotificationChannel, type NotificationKind } from './experiments.repository.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface Preference {
  kinds: NotificationKind[];
  channel: NotificationChannel;
}

export const isSlackUserId = (person: string): boolean => /^[UW][A-Z0-9]+$/.test(person);

/** Without a saved choice: every kind, by Slack DM for a Slack id and by email for an address. */
export function defaultPreference(person: string): Preference {
  return { kinds: [...NOTIFICATION_KINDS], channel: isSlackUserId(person) ? 'slack' : 'email' };
}

export async function preferencesOf(db: Db, organizationId: string, people: string[]): Promise<Map<string, Preference>> {
  const result = new Map<string, Preference>(people.map((p) => [p, defaultPreference(p)]));
  if (people.length === 0) return result;
  const rows = await db
    .selectFrom('notification_preferences')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('person', 'in', people)
    .execute();
  for (const row of rows) {
    const kinds = (JSON.parse(row.kinds) as string[]).filter((k): k is NotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(k));
    result.set(row.person, { kinds, channel: row.channel === 'email' ? 'email' : 'slack' });
  }
  return result;
}

export async function savePreference(db: Db, organizationId: string, person: string, preference: Preference, now: number): Promise<void> {
  const values = { kinds: JSON.stringify(preference.kinds), channel: preference.channel, updated_at: now };
  await db
    .insertInto('notification_preferences')
    .values({ organization_id: organizationId, person, ...values })
    .onConflict((oc) => oc.columns(['organization_id', 'person']).doUpdateSet(values))
    .execute();
}
