import type { Migration } from 'kysely';
import * as m001 from './001-initial.js';

/** Every migration, in order. A merged migration is never edited: add a new one. */
export const migrations: Record<string, Migration> = {
  '001-initial': m001,
};
