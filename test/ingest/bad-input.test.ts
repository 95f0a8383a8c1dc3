import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { change, organizationWithKey, webhookAlert } from '../helpers/delivery-fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { testDialects } from '../helpers/test-database.js';
import { anyString } from '../helpers/arbitraries.js';

const RUNS = 60;
const MIB = 1024 * 1024;
const TABLES = ['flag_events', 'deliveries', 'catalog_projects', 'catalog_deployments', 'catalog_tags'] as const;

const anyValue = fc.oneof(fc.jsonValue(), anyString, fc.constantFrom(1e308, -0, 2 ** 53, -(2 ** 63), 0.5));

describe.each(testDialects())('POST /api/v1/flag-events with bad input on %s', (dialect) => {
  let app: TestApp;
  let key: string;

  beforeAll(async () => {
    app = await startTestApp({ dialect, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    key = await organizationWithKey(app);
    // An alert that takes every change, so a stored change would also show up as a delivery.
    await webhookAlert(app, 'http://127.0.0.1:9/hook');
  });
  afterAll(async () => {
    await app.stop();
  });

  const counts = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const table of TABLES) {
      const row = await app.deps.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      out[table] = Number(row?.n ?? 0);
    }
    return out;
  };

  /** Sends a body; asserts no 5xx, and that nothing was stored unless it was accepted. */
  const expectNoHarm = async (
    body: string | Uint8Array<ArrayBuffer>,
    contentType = 'application/json',
    allowed: number[] = [202, 400, 413, 415],
  ): Promise<number> => {
    const before = await counts();
    const res = await fetch(`${app.url}/api/v1/flag-events`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${key}` },
      body,
    });
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBeLessThan(500);
    expect(allowed, `status ${res.status}: ${text.slice(0, 300)}`).toContain(res.status);
    if (res.status !== 202) expect(await counts()).toEqual(before);
    else expect(res.headers.get('content-type')).toContain('application/json');
    return res.status;
  };

  it('answers random JSON with a 4xx and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.json({ maxDepth: 4 }), async (json) => {
        await expectNoHarm(json, 'application/json', [400]);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers a valid event with any field set to any value with 202 or 400, never 5xx', async () => {
    const paths = [
      ['projectId'],
      ['projectName'],
      ['action'],
      ['modifiedBy'],
      ['eventId'],
      ['occurredAt'],
      ['flag'],
      ['oldFlag'],
      ['flag', 'id'],
      ['flag', 'key'],
      ['flag', 'name'],
      ['flag', 'enabled'],
      ['flag', 'deployments'],
      ['flag', 'tags'],
      ['flag', 'variants'],
      ['flag', 'rolloutPercentage'],
      ['flag', 'rolloutWeights'],
      ['flag', 'version'],
      ['oldFlag', 'deployments'],
      ['oldFlag', 'tags'],
      ['flag', 'unknownField'],
    ];
    const mutation = fc.tuple(fc.constantFrom(...paths), anyValue);
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), async (mutations, batch) => {
        const event = structuredClone(change(`mutated-${Math.random()}`)) as Record<string, Record<string, unknown>>;
        for (const [path, value] of mutations) {
          const [head, tail] = path as [string, string | undefined];
          if (tail === undefined) (event as Record<string, unknown>)[head] = value;
          else if (typeof event[head] === 'object' && event[head] !== null) event[head][tail] = value;
        }
        await expectNoHarm(JSON.stringify(batch ? { events: [change(), event] } : event));
      }),
      { numRuns: RUNS },
    );
  });

  it('stores strings with NUL, lone surrogates and control characters, or refuses them, never 5xx', async () => {
    const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map((s) => `${s}\u0000${s}`);
    await fc.assert(
      fc.asyncProperty(text, fc.constantFrom('projectName', 'modifiedBy', 'eventId', 'tag', 'label', 'key', 'extra'), async (s, where) => {
        const base = change(`nul-${Math.random()}`) as { flag: Record<string, unknown>; oldFlag: Record<string, unknown> } & Record<string, unknown>;
        const event: Record<string, unknown> = { ...base };
        if (where === 'tag') event.flag = { ...base.flag, tags: [s] };
        else if (where === 'label') event.flag = { ...base.flag, deployments: [{ id: 72, label: s }] };
        else if (where === 'key') event.flag = { ...base.flag, key: s };
        else if (where === 'extra') event.flag = { ...base.flag, [s]: s };
        else event[where] = s.slice(0, 200);
        await expectNoHarm(JSON.stringify(event));
      }),
      { numRuns: RUNS },
    );
  });

  it('handles huge strings: accepted or refused under 1 MiB, 413 over it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: Math.floor(1.3 * MIB) }),
        fc.constantFrom('projectName', 'modifiedBy', 'eventId', 'flagKey'),
        async (size, where) => {
          const big = 'x'.repeat(size);
          const base = change(`huge-${Math.random()}`) as Record<string, unknown> & { flag: Record<string, unknown> };
          const event = where === 'flagKey' ? { ...base, flag: { ...base.flag, key: big } } : { ...base, [where]: big };
          const body = JSON.stringify(event);
          const status = await expectNoHarm(body);
          if (Buffer.byteLength(body) > MIB) expect(status).toBe(413);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('refuses or stores deeply nested JSON, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 400_000 }), fc.constantFrom('body', 'unknown field', 'variants', 'events'), async (depth, where) => {
        const nested = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
        const event = JSON.stringify(change(`deep-${Math.random()}`));
        const body =
          where === 'body'
            ? nested
            : where === 'events'
              ? `{"events":${nested}}`
              : event.replace(
                  '"rolloutPercentage":50',
                  where === 'variants' ? `"rolloutPercentage":50,"variants":${nested}` : `"rolloutPercentage":50,"deep":${nested}`,
                );
        const status = await expectNoHarm(body);
        if (depth > 64) expect(status).toBe(400);
      }),
      { numRuns: 30 },
    );
  });

  it('refuses bodies that are not valid UTF-8 with 400', async () => {
    const bad = fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]);
    await fc.assert(
      fc.asyncProperty(bad, fc.nat(), async (bytes, at) => {
        const valid = Buffer.from(JSON.stringify(change(`utf8-${Math.random()}`)));
        // Inside a string value, so only the encoding is wrong, not the JSON.
        const quote = valid.indexOf('"modifiedBy":"') + '"modifiedBy":"'.length;
        const offset = quote + (at % 5);
        const body = Buffer.concat([valid.subarray(0, offset), Buffer.from(bytes), valid.subarray(offset)]);
        await expectNoHarm(new Uint8Array(body), 'application/json', [400]);
      }),
      { numRuns: 30 },
    );
  });

  it('refuses other content types with 415, whatever the body', async () => {
    const types = fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/jsonx',
      'text/json',
      'application/octet-stream',
    );
    await fc.assert(
      fc.asyncProperty(types, fc.oneof(fc.constant(JSON.stringify(change())), fc.string()), async (type, body) => {
        await expectNoHarm(body, type, [415]);
      }),
      { numRuns: 30 },
    );
  });

  it('answers 413 to a body over 1 MiB without storing it, even when it is one valid batch', async () => {
    const events = Array.from({ length: 500 }, (_, i) => change(`big-${i}`, { projectName: 'p'.repeat(2500) }));
    const body = JSON.stringify({ events });
    expect(Buffer.byteLength(body)).toBeGreaterThan(MIB);
    expect(await expectNoHarm(body, 'application/json', [413])).toBe(413);
  });
});
