import type { Migration } from 'kysely';
import * as m001 from './001-initial.js';
import * as m002 from './002-experiments.js';
import * as m003 from './003-alerts-match-index.js';
import * as m004 from './004-srm-threshold.js';
import * as m005 from './005-home-viewers.js';
import * as m006 from './006-text-ids.js';
import * as m007 from './007-catalog-flags.js';
import * as m008 from './008-sources.js';
import * as m009 from './009-retention-index.js';
import * as m010 from './010-key-check.js';
import * as m011 from './011-settings-sessions.js';

/** Every migration, in order. A merged migration is never edited: add a new one. */
export const migrations: Record<string, Migration> = {
  '001-initial': m001,
  '002-experiments': m002,
  '003-alerts-match-index': m003,
  '004-srm-threshold': m004,
  '005-home-viewers': m005,
  '006-text-ids': m006,
  '007-catalog-flags': m007,
  '008-sources': m008,
  '009-retention-index': m009,
  '010-key-check': m010,
  '011-settings-sessions': m011,
};
