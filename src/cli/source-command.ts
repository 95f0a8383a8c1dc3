import { parseArgs } from 'node:util';
import type { Config } from '../config/config.js';
import { loadEncryptionKey } from '../crypto/encryption-key.js';
import { createSecretBox, type SecretBox } from '../crypto/secret-box.js';
import { createLogger } from '../logging/logger.js';
import { createSourceAs } from '../sources/operations/create.js';
import { deleteSourceAs } from '../sources/operations/delete.js';
import type { SourceOperationsDeps } from '../sources/operations/deps.js';
import { listSourcesAs } from '../sources/operations/list.js';
import type { ListedSource } from '../sources/operations/listed-source.js';
import type { Requester } from '../sources/operations/outcome.js';
import { rotateSourceAs } from '../sources/operations/rotate.js';
import type { SourceFieldError } from '../sources/operations/source-form.js';
import { createKnownSources, SOURCE_CACHE_MS } from '../sources/known-sources.js';
import type { SourceRegistry } from '../sources/registry.js';
import { PUSH_SOURCE_KINDS } from '../sources/source-kind.js';
import { findSourceKind } from '../sources/sources.repository.js';
import { openDatabase } from '../storage/database.js';
import { tableRow, type Output } from './output.js';
import { withoutControlCharacters } from '../text/control-characters.js';
import { resolveTeam } from './team-option.js';

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
    parsed = parse(args);
  } catch (error) {
    io.err(`flag-alerts source: ${error instanceof Error ? error.message : String(error)}\nusage:\n${SOURCE_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    io.out(`usage:\n${SUBCOMMAND_USAGE[parsed.sub]}`);
    return 0;
  }
  const { db, close } = openDatabase(config.databaseUrl);
  // Listing and deleting need no encryption key: only create and rotate open (or make) the key file.
  // This process remembers no source: running servers see its rotations and deletions within SOURCE_CACHE_MS.
  const keyless: Omit<SourceOperationsDeps, 'box'> = { db, publicUrl: config.publicUrl, sources: registry, now: Date.now, knownSources: createKnownSources() };
  try {
    switch (parsed.sub) {
      case 'create':
        return await create({ ...keyless, box: boxOf(config, io) }, io, parsed);
      case 'list':
        return await list(keyless, io, parsed.team ?? '', parsed.json);
      case 'rotate':
        return await rotate({ ...keyless, box: boxOf(config, io) }, io, parsed.id ?? '', parsed.secret);
      default:
        return await remove(keyless, io, parsed.id ?? '');
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

/** The command line's shape only; what a kind, name or secret must be is the operations' to say. */
function parse(args: string[]): Parsed {
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
    kind: values.kind,
    name: values.name,
    secret: values.secret,
  };
  if (base.help) return { ...base, id: undefined };
  const polled = (['api-key', 'region', 'api-url', 'every'] as const).find((option) => values[option] !== undefined);
  // With --kind amplitude the operation's refusal of that kind says it all; the options are named when given alone.
  if (polled && values.kind?.trim() !== 'amplitude') {
    throw new UsageError(
      `--${polled} is for the polled Amplitude source, which this version does not have yet: connect a platform that posts webhooks (${PUSH_SOURCE_KINDS.join(', ')})`,
    );
  }
  const allowed: Record<Subcommand, string[]> = { create: ['team', 'kind', 'name', 'secret', 'json'], list: ['team', 'json'], rotate: ['secret'], delete: [] };
  const given = (['team', 'kind', 'name', 'secret', 'json'] as const).filter((option) => values[option] !== undefined);
  const stray = given.find((option) => !allowed[sub].includes(option));
  if (stray) throw new UsageError(`--${stray} does not apply to ${sub}`);
  if (sub === 'create' || sub === 'list') {
    if (!base.team) throw new UsageError('--team <ORG> is required');
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  }
  if (sub === 'rotate' || sub === 'delete') {
    if (rest.length !== 1 || !rest[0]) throw new UsageError(`${sub} takes one source ID (see "source list")`);
  }
  return { ...base, id: rest[0] };
}

/** The operator acts as an admin of the organization named on the command line, or of the source's own organization. */
const operatorIn = (organizationId: string): Requester => ({ organizationId, actor: 'operator', role: 'admin' });

/** The operator is an admin everywhere, so this is not expected; said rather than exiting without a word. */
function refusedOf(io: Output): number {
  io.err('flag-alerts source: refused, though the CLI acts as an admin: please report this');
  return 1;
}

/** An operation's refusal of a field, in the CLI's words: the option's name, and exit 2 as for any usage error. */
function usageOf(io: Output, error: SourceFieldError): number {
  io.err(`flag-alerts source: ${error.reason(`--${error.field}`)}`);
  return 2;
}

async function create(deps: SourceOperationsDeps, io: Output, parsed: Parsed): Promise<number> {
  const team = parsed.team ?? '';
  const resolved = await resolveTeam(deps.db, team);
  if (resolved.kind === 'unknown') {
    io.err(`flag-alerts source: ${resolved.reason}`);
    return 1;
  }
  // A Slack team with no install yet: the source brings the organization into being, as an ingest key does.
  const newOrganization = resolved.kind === 'new' ? { name: team } : undefined;
  const outcome = await createSourceAs(
    deps,
    operatorIn(team),
    { kind: parsed.kind ?? '', name: parsed.name, secret: parsed.secret },
    newOrganization ? { newOrganization } : {},
  );
  if (outcome.kind === 'invalid') return usageOf(io, outcome.error);
  if (outcome.kind === 'refused') return refusedOf(io);
  const { source, secret } = outcome;
  if (parsed.json) {
    io.out(JSON.stringify({ id: source.id, kind: source.kind, url: source.url, secret }));
    return 0;
  }
  io.out(`source ${source.id} "${withoutControlCharacters(source.name)}" (${source.label}) for ${team}`);
  io.out(`URL: ${source.url}`);
  io.out(outcome.generated ? `secret (shown only this once, paste it into ${source.label}): ${secret}` : `secret: the one you gave, kept encrypted`);
  io.out(`setup in ${source.label}:`);
  outcome.setupSteps.forEach((step, i) => io.out(`  ${i + 1}. ${step}`));
  return 0;
}

async function list(deps: Pick<SourceOperationsDeps, 'db' | 'publicUrl' | 'sources'>, io: Output, team: string, json: boolean): Promise<number> {
  const outcome = await listSourcesAs(deps, operatorIn(team));
  if (outcome.kind === 'refused') return refusedOf(io);
  const { sources } = outcome;
  if (json) {
    io.out(JSON.stringify(sources.map(listedJson)));
    return 0;
  }
  if (sources.length === 0) {
    io.out(`no sources for ${team}: connect a flag platform with "flag-alerts source create --team ${team} --kind <kind>"`);
    return 0;
  }
  const time = (t: number | null) => (t === null ? '-' : new Date(t).toISOString().slice(0, 16).replace('T', ' '));
  io.out(tableRow(['ID', 'KIND', 'NAME', 'URL', 'LAST EVENT', 'ACCEPTED', 'IGNORED', 'REJECTED', 'LAST ERROR']));
  for (const s of sources) {
    const lastError = s.lastError === null ? '-' : `${time(s.lastErrorAt)} ${s.lastError}`;
    io.out(tableRow([s.id, s.kind, s.name, s.url, time(s.lastEventAt), s.accepted, s.ignored, s.rejected, lastError]));
  }
  return 0;
}

function listedJson(s: ListedSource): object {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    id: s.id,
    kind: s.kind,
    name: s.name,
    url: s.url,
    createdAt: iso(s.createdAt),
    lastEventAt: iso(s.lastEventAt),
    accepted: s.accepted,
    ignored: s.ignored,
    rejected: s.rejected,
    lastError: s.lastError,
    lastErrorAt: iso(s.lastErrorAt),
  };
}

/** The source's own organization, for commands that name the source by id alone; undefined (and said) when there is none. */
async function ownerOf(deps: Pick<SourceOperationsDeps, 'db'>, io: Output, id: string): Promise<Requester | undefined> {
  const found = await findSourceKind(deps.db, id);
  if (!found) io.err(`flag-alerts source: no source ${id} (see "source list --team <ORG>")`);
  return found && operatorIn(found.organizationId);
}

async function rotate(deps: SourceOperationsDeps, io: Output, id: string, given: string | undefined): Promise<number> {
  const requester = await ownerOf(deps, io, id);
  if (!requester) return 1;
  const outcome = await rotateSourceAs(deps, requester, id, given);
  if (outcome.kind === 'invalid') return usageOf(io, outcome.error);
  if (outcome.kind !== 'rotated') {
    io.err(`flag-alerts source: no source ${id} (see "source list --team <ORG>")`);
    return 1;
  }
  const { label } = outcome.source;
  io.out(
    `source ${id} (${label}): secret replaced; deliveries signed with the old one are refused within ${SOURCE_CACHE_MS / 1000} s on every running instance`,
  );
  if (outcome.generated) io.out(`new secret (shown only this once, paste it into ${label}): ${outcome.secret}`);
  return 0;
}

async function remove(deps: Pick<SourceOperationsDeps, 'db' | 'publicUrl' | 'sources' | 'now' | 'knownSources'>, io: Output, id: string): Promise<number> {
  const requester = await ownerOf(deps, io, id);
  if (!requester) return 1;
  if ((await deleteSourceAs(deps, requester, id)).kind === 'deleted') {
    io.out(`source ${id} deleted: its URL answers 404 within ${SOURCE_CACHE_MS / 1000} s on every running instance (remove the webhook in the platform too)`);
    return 0;
  }
  io.err(`flag-alerts source: no source ${id} (see "source list --team <ORG>")`);
  return 1;
}
