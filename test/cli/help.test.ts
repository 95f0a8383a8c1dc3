import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliHarness, type CliHarness } from '../helpers/cli-harness.js';

// --help reads no database, so one SQLite database serves every case; a command that ran instead of helping would
// leave rows (or, for migrate, an answer other than usage) behind.
describe('npx flag-alerts <command> --help', () => {
  let cli: CliHarness;
  beforeAll(async () => {
    cli = await cliHarness('sqlite');
  });
  afterAll(() => cli.close());

  it.each<[string[], RegExp]>([
    [['--help'], /usage: flag-alerts <command>[\s\S]*ingest-key create[\s\S]*send-sample/],
    [['migrate', '--help'], /^usage:\n {2}migrate /],
    [['backup', '--help'], /^usage:\n {2}backup <file>/],
    [['ingest-key', '--help'], /^usage:\n {2}ingest-key create[\s\S]*ingest-key list[\s\S]*ingest-key revoke/],
    [['ingest-key', 'create', '--help'], /^usage:\n {2}ingest-key create --team <TEAM_ID> \[--name NAME\] +create an ingest key \(printed once\)$/],
    [['ingest-key', 'list', '--help'], /^usage:\n {2}ingest-key list --team/],
    [['ingest-key', 'revoke', '--help'], /^usage:\n {2}ingest-key revoke <ID>/],
    [['ingest-key', 'create', '--team', 'T1', '--help'], /^usage:\n {2}ingest-key create --team/],
    [['source', '--help'], /^usage:\n {2}source create[\s\S]*source delete/],
    [['source', 'create', '--help'], /^usage:\n {2}source create --team <ORG> --kind <KIND>[\s\S]*--kind/],
    [['source', 'list', '--help'], /^usage:\n {2}source list --team <ORG>/],
    [['source', 'rotate', '--help'], /^usage:\n {2}source rotate <ID>[\s\S]*--secret/],
    [['source', 'delete', '--help'], /^usage:\n {2}source delete <ID>/],
    [['send-sample', '--help'], /^usage:\n {2}send-sample --team <TEAM_ID>/],
  ])('flag-alerts %j prints its usage and exits 0, doing nothing else', async (argv, usage) => {
    const { code, out, err } = await cli.run(...argv);
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out.join('\n')).toMatch(usage);
    expect(await cli.handle.db.selectFrom('organizations').selectAll().execute()).toEqual([]);
    expect(await cli.handle.db.selectFrom('ingest_keys').selectAll().execute()).toEqual([]);
  });

  it('still refuses an argument migrate does not take, with its usage', async () => {
    const { code, err } = await cli.run('migrate', 'now');
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/unexpected argument "now"[\s\S]*migrate/);
  });
});
