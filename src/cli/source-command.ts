import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Config } from '../config/config.js';
import { loadEncryptionKey } from '../crypto/encryption-key.js';
import { createSecretBox, type SecretBox } from '../crypto/secret-box.js';
import { createLogger } from '../logging/logger.js';
import { findOrganization, upsertOrganization } from '../organizations/organizations.repository.js';
import type { SourceRegistry } from '../sources/registry.js';
import { PUSH_SOURCE_KINDS, type PushSource, type PushSourceKind } from '../sources/source-kind.js';
import { SOURCES_PREFIX } from '../sources/source.route.js';
import { createSource, deleteSource, findSourceKind, listSources, rotateSourceSecret, type SourceSummary } from '../sources/sources.repository.js';
import { openDatabase } from '../storage/database.js';
import type { Database } from '../storage/schema.js';
import type { Output } from './output.js';

const CREATE_USAGE = `  source create --team <ORG> --kind <KIND> [--name NAME] [--secret SECRET] [--json]
                                                      connect a flag platform's webhook; prints its URL, secret and setup steps`;
const LIST_USAGE = `  source list --team <ORG> [--json]                   list the organization's sources`;
const ROTATE_USAGE = `  source rotate <ID> [--secret SECRET]                replace a source's secret (the old one stops working)`;
const DELETE_USAGE = `  source delete <ID>                                  delete a source: its URL answers 404 from then on`;

export const SOURCE_USAGE = [CREATE_USAGE, LIST_USAGE, ROTATE_USAGE, DELETE_USAGE].join('\n');

const SUBCOMMAND_USAGE: Record<Subcommand, string> = {
  create: `${CREATE_USAGE}
    --kind     ${PUSH_SOURCE_KINDS.join(', ')}
    --secret   the platform's secret or signing key (required where the platform makes it); else one is generated
    --json     one line: {"id","kind","url","secret"}`,
  list: LIST_USAGE,
  rotate: `${ROTATE_USAGE}
    --secret   the new secret (required where the platform makes it); else one is generated`,
  delete: DELETE_USAGE,
};

// Slack team (T…) and Enterprise Grid (E…) ids: an organization the CLI may bring into being, as ingest-key create does.
const SLACK_TEAM_ID = /^[TE][A-Z0-9]+$/;
const MAX_SECRET_LENGTH = 500;

type Subcommand = 'create' | 'list' | 'rotate' | 'delete';

interface Parsed {
  sub: Subcommand;
  help: boolean;
  team: string | undefined;
  kind: string | undefined;
  name: string | undefined;
  secret: string | undefined;
  json: boolean;
  id: string | undefined;
}

class UsageError extends Error {}

/** `flag-alerts source create|list|rotate|delete`; 0 done, 1 failed, 2 usage error. */
export async function sourceCommand(args: string[], config: Config, io: Output, registry: SourceRegistry): Promise<number> {
  if (args[0] === '--help' || args[0] === 'help') {
    io.out(`usage:\n${SOURCE_USAGE}`);
    return 0;
  }
  let parsed: Parsed;
  try {
    parsed = parse(args, registry);
  } catch (error) {
    io.err(`flag-alerts source: ${error instanceof Error ? error.message : String(error)}\nusage:\n${SOURCE_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    io.out(`usage:\n${SUBCOMMAND_USAGE[parsed.sub]}`);
    return 0;
  }
  const { db, close } = openDatabase(config.databaseUrl);
  try {
    switch (parsed.sub) {
      case 'create':
        return await create(db, boxOf(config, io), config, io, registry, parsed);
      case 'list':
        return await list(db, config, io, parsed.team ?? '', parsed.json);
      case 'rotate':
        return await rotate(db, boxOf(config, io), io, registry, parsed.id ?? '', parsed.secret);
      default:
        return await remove(db, io, parsed.id ?? '');
    }
  } finally {
    await close();
  }
}

/** The server's SecretBox: the same ENCRYPTION_KEY or key file, so the server can open what the CLI seals. */
function boxOf(config: Config, io: Output): SecretBox {
  const logger = createLogger('warn', { write: (line: string) => io.err(line.trimEnd()) });
  return createSecretBox(loadEncryptionKey(config.encryptionKey, config.dataDir, logger));
}

function parse(args: string[], registry: SourceRegistry): Parsed {
  const { values, positionals } = parseArgs({
    args,
    options: {
      team: { type: 'string' },
      kind: { type: 'string' },
      name: { type: 'string' },
      secret: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
      // Options of the polled Amplitude source, named here so they get a clear line rather than "unknown option".
      'api-key': { type: 'string' },
      region: { type: 'string' },
      'api-url': { type: 'string' },
      every: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [sub, ...rest] = positionals;
  if (sub !== 'create' && sub !== 'list' && sub !== 'rotate' && sub !== 'delete')
    throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand');
  const subcommand: Subcommand = sub;
  const base = {
    sub: subcommand,
    help: values.help === true,
    json: values.json === true,
    team: values.team?.trim(),
    kind: values.kind?.trim(),
    name: values.name?.trim(),
    secret: values.secret?.trim(),
  };
  if (base.help) return { ...base, id: undefined };
  const polled = (['api-key', 'region', 'api-url', 'every'] as const).find((option) => values[option] !== undefined);
  if (base.kind === 'amplitude' || polled) {
    throw new UsageError(
      `${base.kind === 'amplitude' ? '--kind amplitude' : `--${polled}`} is for the polled Amplitude source, which this version does not have yet: connect a platform that posts webhooks (${PUSH_SOURCE_KINDS.join(', ')})`,
    );
  }
  const allowed: Record<Subcommand, string[]> = { create: ['team', 'kind', 'name', 'secret', 'json'], list: ['team', 'json'], rotate: ['secret'], delete: [] };
  const given = (['team', 'kind', 'name', 'secret', 'json'] as const).filter((option) => values[option] !== undefined);
  const stray = given.find((option) => !allowed[sub].includes(option));
  if (stray) throw new UsageError(`--${stray} does not apply to ${sub}`);
  if (base.secret !== undefined && (base.secret === '' || base.secret.length > MAX_SECRET_LENGTH))
    throw new UsageError(`--secret must be 1 to ${MAX_SECRET_LENGTH} characters`);

  if (sub === 'create' || sub === 'list') {
    if (!base.team) throw new UsageError('--team <ORG> is required');
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  }
  if (sub === 'create') {
    if (!base.kind) throw new UsageError(`--kind is required: one of ${PUSH_SOURCE_KINDS.join(', ')}`);
    if (!(PUSH_SOURCE_KINDS as readonly string[]).includes(base.kind))
      throw new UsageError(`unknown --kind "${base.kind}": one of ${PUSH_SOURCE_KINDS.join(', ')}`);
    const platform = registry.get(base.kind as PushSourceKind);
    if (!platform) throw new UsageError(`--kind ${base.kind} is not available in this version yet`);
    if (base.name !== undefined && (base.name === '' || base.name.length > 100)) throw new UsageError('--name must be 1 to 100 characters');
    if (platform.secretOrigin === 'platform' && base.secret === undefined)
      throw new UsageError(`--secret is required for ${platform.label}: ${platform.label} makes the secret; paste the one it shows`);
  }
  if (sub === 'rotate' || sub === 'delete') {
    if (rest.length !== 1 || !rest[0]) throw new UsageError(`${sub} takes one source ID (see "source list")`);
  }
  return { ...base, id: rest[0] };
}

const urlOf = (config: Config, id: string) => `${config.publicUrl}${SOURCES_PREFIX}${id}`;

/** 32 random bytes for platforms that let the admin choose the secret (it is pasted into the platform). */
const generateSecret = () => randomBytes(32).toString('base64url');

async function create(db: Kysely<Database>, box: SecretBox, config: Config, io: Output, registry: SourceRegistry, parsed: Parsed): Promise<number> {
  const platform = registry.get(parsed.kind as PushSourceKind) as PushSource;
  const team = parsed.team ?? '';
  if (!(await findOrganization(db, team))) {
    if (!SLACK_TEAM_ID.test(team)) {
      io.err(`flag-alerts source: no organization ${team} (use a Slack team ID like T0123ABCD, or an organization ID the settings page shows)`);
      return 1;
    }
    // Webhook-only teams have no Slack install: the source brings the organization into being, as an ingest key does.
    await upsertOrganization(db, { id: team, name: team, enterpriseId: null });
  }
  const secret = parsed.secret ?? generateSecret();
  const source = await createSource(db, box, { organizationId: team, kind: platform.kind, name: parsed.name ?? platform.label, secret }, Date.now());
  const url = urlOf(config, source.id);
  if (parsed.json) {
    io.out(JSON.stringify({ id: source.id, kind: source.kind, url, secret }));
    return 0;
  }
  io.out(`source ${source.id} "${source.name}" (${platform.label}) for ${team}`);
  io.out(`URL: ${url}`);
  io.out(
    parsed.secret === undefined ? `secret (shown only this once, paste it into ${platform.label}): ${secret}` : `secret: the one you gave, kept encrypted`,
  );
  io.out(`setup in ${platform.label}:`);
  platform.setupSteps(url).forEach((step, i) => io.out(`  ${i + 1}. ${step}`));
  return 0;
}

async function list(db: Kysely<Database>, config: Config, io: Output, team: string, json: boolean): Promise<number> {
  const sources = await listSources(db, team);
  if (json) {
    io.out(JSON.stringify(sources.map((s) => listedJson(config, s))));
    return 0;
  }
  if (sources.length === 0) {
    io.out(`no sources for ${team}: connect a flag platform with "flag-alerts source create --team ${team} --kind <kind>"`);
    return 0;
  }
  const time = (t: number | null) => (t === null ? '-' : new Date(t).toISOString().slice(0, 16).replace('T', ' '));
  io.out(['ID', 'KIND', 'NAME', 'URL', 'LAST EVENT', 'ACCEPTED', 'IGNORED', 'REJECTED', 'LAST ERROR'].join('\t'));
  for (const s of sources) {
    const lastError = s.lastError === null ? '-' : `${time(s.lastErrorAt)} ${s.lastError}`;
    io.out([s.id, s.kind, s.name, urlOf(config, s.id), time(s.lastEventAt), s.accepted, s.ignored, s.rejected, lastError].join('\t'));
  }
  return 0;
}

function listedJson(config: Config, s: SourceSummary): object {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    id: s.id,
    kind: s.kind,
    name: s.name,
    url: urlOf(config, s.id),
    createdAt: iso(s.createdAt),
    lastEventAt: iso(s.lastEventAt),
    accepted: s.accepted,
    ignored: s.ignored,
    rejected: s.rejected,
    lastError: s.lastError,
    lastErrorAt: iso(s.lastErrorAt),
  };
}

async function rotate(db: Kysely<Database>, box: SecretBox, io: Output, registry: SourceRegistry, id: string, given: string | undefined): Promise<number> {
  const found = await findSourceKind(db, id);
  if (!found) {
    io.err(`flag-alerts source: no source ${id} (see "source list --team <ORG>")`);
    return 1;
  }
  const platform = registry.get(found.kind as PushSourceKind);
  const label = platform?.label ?? found.kind;
  if (given === undefined && platform?.secretOrigin !== 'generated') {
    io.err(`flag-alerts source: --secret is required to rotate a ${label} source: make a new secret in ${label} and paste it here`);
    return 2;
  }
  const secret = given ?? generateSecret();
  await rotateSourceSecret(db, box, id, secret, Date.now());
  io.out(`source ${id} (${label}): secret replaced; deliveries signed with the old one are refused from now on`);
  if (given === undefined) io.out(`new secret (shown only this once, paste it into ${label}): ${secret}`);
  return 0;
}

async function remove(db: Kysely<Database>, io: Output, id: string): Promise<number> {
  if (await deleteSource(db, id, Date.now())) {
    io.out(`source ${id} deleted: its URL answers 404 from now on (remove the webhook in the platform too)`);
    return 0;
  }
  io.err(`flag-alerts source: no source ${id} (see "source list --team <ORG>")`);
  return 1;
}
