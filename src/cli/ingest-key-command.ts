import { parseArgs } from 'node:util';
import type { Config } from '../config/config.js';
import { createIngestKey, createKnownIngestKeys, KEY_CACHE_MS, listIngestKeys, revokeIngestKey } from '../ingest-keys/ingest-keys.repository.js';
import { findOrganization, upsertOrganization } from '../organizations/organizations.repository.js';
import { openDatabase } from '../storage/database.js';
import type { Database } from '../storage/schema.js';
import type { Kysely } from 'kysely';
import { tableRow, type Output } from './output.js';
import { CONTROL_CHARACTERS_HINT, hasControlCharacters } from '../text/control-characters.js';
import { resolveTeam } from './team-option.js';

const SUBCOMMAND_USAGE = {
  create: `  ingest-key create --team <TEAM_ID> [--name NAME]   create an ingest key (printed once)`,
  list: `  ingest-key list --team <TEAM_ID>                    list the team's ingest keys`,
  revoke: `  ingest-key revoke <ID> --team <TEAM_ID>             revoke an ingest key`,
};

export const INGEST_KEY_USAGE = Object.values(SUBCOMMAND_USAGE).join('\n');

class UsageError extends Error {}

/** `flag-alerts ingest-key create|list|revoke`; 0 done, 1 failed, 2 usage error. */
export async function ingestKeyCommand(args: string[], config: Config, io: Output): Promise<number> {
  if (args.includes('--help')) {
    const sub = args.find((arg): arg is keyof typeof SUBCOMMAND_USAGE => Object.hasOwn(SUBCOMMAND_USAGE, arg));
    io.out(`usage:\n${sub ? SUBCOMMAND_USAGE[sub] : INGEST_KEY_USAGE}`);
    return 0;
  }
  let parsed: { sub: string; team: string; name: string | undefined; id: number | undefined };
  try {
    parsed = parse(args);
  } catch (error) {
    io.err(`flag-alerts ingest-key: ${error instanceof Error ? error.message : String(error)}\nusage:\n${INGEST_KEY_USAGE}`);
    return 2;
  }
  const { db, close } = openDatabase(config.databaseUrl);
  try {
    const team = await resolveTeam(db, parsed.team);
    if (team.kind === 'unknown') {
      io.err(`flag-alerts ingest-key: ${team.reason}`);
      return 1;
    }
    switch (parsed.sub) {
      case 'create':
        return await create(db, config, io, parsed.team, parsed.name ?? 'default');
      case 'list':
        return await list(db, io, parsed.team);
      default:
        return await revoke(db, io, parsed.team, parsed.id ?? 0);
    }
  } finally {
    await close();
  }
}

function parse(args: string[]): { sub: string; team: string; name: string | undefined; id: number | undefined } {
  const { values, positionals } = parseArgs({
    args,
    options: { team: { type: 'string' }, name: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [sub, ...rest] = positionals;
  if (sub !== 'create' && sub !== 'list' && sub !== 'revoke') throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand');
  const team = values.team?.trim();
  if (!team) throw new UsageError('--team <TEAM_ID> is required');
  if (values.name !== undefined && (values.name.trim() === '' || values.name.length > 100)) throw new UsageError('--name must be 1 to 100 characters');
  if (values.name !== undefined && hasControlCharacters(values.name)) throw new UsageError(`--name: ${CONTROL_CHARACTERS_HINT}`);
  if (values.name !== undefined && sub !== 'create') throw new UsageError(`--name only applies to create`);
  let id: number | undefined;
  if (sub === 'revoke') {
    if (rest.length !== 1 || !/^\d+$/.test(rest[0] ?? '')) throw new UsageError('revoke takes one key ID (a number, see "ingest-key list")');
    id = Number(rest[0]);
  } else if (rest.length > 0) {
    throw new UsageError(`unexpected argument "${rest[0]}"`);
  }
  return { sub, team, name: values.name?.trim(), id };
}

async function create(db: Kysely<Database>, config: Config, io: Output, team: string, name: string): Promise<number> {
  // Webhook-only teams have no Slack install: the key brings the organization into being, named after its id.
  if (!(await findOrganization(db, team))) await upsertOrganization(db, { id: team, name: team, enterpriseId: null });
  const { id, key } = await createIngestKey(db, { organizationId: team, name, createdBy: 'cli' });
  io.out(`ingest key ${id} "${name}" for ${team} (shown only this once, store it now):`);
  io.out(key);
  io.out(
    `try it: curl -X POST ${config.publicUrl}/api/v1/flag-events -H "Authorization: Bearer ${key}" -H "Content-Type: application/json" ` +
      `-d '{"projectId":1,"action":"created","modifiedBy":"you@example.com","flag":{"id":1,"key":"my-flag","enabled":true}}'`,
  );
  return 0;
}

async function list(db: Kysely<Database>, io: Output, team: string): Promise<number> {
  const keys = await listIngestKeys(db, team);
  if (keys.length === 0) {
    io.out(`no ingest keys for ${team}: create one with "flag-alerts ingest-key create --team ${team}"`);
    return 0;
  }
  const day = (t: number | null) => (t === null ? '-' : new Date(t).toISOString().slice(0, 16).replace('T', ' '));
  io.out(tableRow(['ID', 'NAME', 'PREFIX', 'CREATED', 'LAST USED', 'STATUS']));
  for (const k of keys) {
    io.out(tableRow([k.id, k.name, `${k.prefix}…`, day(k.createdAt), day(k.lastUsedAt), k.revokedAt === null ? 'active' : `revoked ${day(k.revokedAt)}`]));
  }
  return 0;
}

async function revoke(db: Kysely<Database>, io: Output, team: string, id: number): Promise<number> {
  // This process trusts no key, so it has none to forget; running servers stop trusting it within KEY_CACHE_MS.
  if (await revokeIngestKey(db, createKnownIngestKeys(), team, id)) {
    io.out(`ingest key ${id} of ${team} revoked: requests with it get 401 within ${KEY_CACHE_MS / 1000} s on every running instance`);
    return 0;
  }
  io.err(`flag-alerts ingest-key: ${team} has no active ingest key ${id} (see "ingest-key list --team ${team}")`);
  return 1;
}
