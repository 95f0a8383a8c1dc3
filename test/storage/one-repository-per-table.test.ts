import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Reads the source tree, not the running app: the rule is about where SQL is written, so that a change
// to a table has one file to read and one file to edit.
const root = join(import.meta.dirname, '../..');
const src = join(root, 'src');

const sources = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => ({ path: relative(root, join(src, file)).split('\\').join('/'), text: readFileSync(join(src, file), 'utf8') }));

/** Table names as the schema declares them (`name: SomethingTable;` in the Database interfaces). */
function tablesOfSchema(): string[] {
  const schemas = ['src/storage/schema.ts', 'src/experiments/experiment-tables.schema.ts'];
  return schemas.flatMap((file) => [...readFileSync(join(root, file), 'utf8').matchAll(/^ {2}([a-z_]+): [A-Z]\w*Table;$/gm)].map((m) => m[1] ?? ''));
}

// A query on a table names it as the first argument of a Kysely builder (possibly on the next line, in an
// array or with an alias), or hands it to the shared outbox claim in src/storage/leased-claim.ts.
const BUILDER = /\b(?:selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*\[?\s*'([a-z_]+)/g;
const LEASED = /\b(?:claimLeased|nextLeasedDueAt)\([^)]*?'([a-z_]+)'/g;

function tablesQueriedIn(text: string): Set<string> {
  return new Set([...text.matchAll(BUILDER), ...text.matchAll(LEASED)].map((m) => m[1] ?? ''));
}

const isRepository = (path: string) => path.endsWith('.repository.ts');
// The storage layer's own helpers take the table as a parameter (or ask the database nothing table-specific).
const isStorageHelper = (path: string) => path.startsWith('src/storage/');

describe('one repository per table', () => {
  const tables = tablesOfSchema();

  it('finds the tables of the schema', () => {
    expect(tables).toContain('deliveries');
    expect(tables).toContain('organizations');
    expect(tables).toContain('experiment_notifications');
    expect(tables.length).toBeGreaterThanOrEqual(19);
  });

  it('writes Kysely queries only in repository files (and the storage helpers)', () => {
    const builder = /\.(?:selectFrom|selectNoFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql(?:<[^>]*>)?`/;
    const outside = sources.filter((f) => !isRepository(f.path) && !isStorageHelper(f.path) && builder.test(f.text)).map((f) => f.path);
    expect(outside).toEqual([]);
  });

  it.each(tables)('keeps the SQL of %s in exactly one repository file', (table) => {
    const files = sources.filter((f) => tablesQueriedIn(f.text).has(table)).map((f) => f.path);
    expect(files).toHaveLength(1);
    expect(files.every(isRepository)).toBe(true);
  });

  it('queries no table the schema does not declare', () => {
    const unknown = sources.flatMap((f) => [...tablesQueriedIn(f.text)].filter((t) => !tables.includes(t)).map((t) => `${f.path}: ${t}`));
    expect(unknown).toEqual([]);
  });
});
