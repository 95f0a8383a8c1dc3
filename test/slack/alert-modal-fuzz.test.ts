import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAlerts } from '../../src/alerts/alerts.repository.js';
import { anyString } from '../helpers/arbitraries.js';
import { formValues, startHarness, state, submitModal, type Harness, type Values } from '../helpers/slack-harness.js';
import { testDialects } from '../helpers/test-database.js';

describe.each(testDialects())('alert modal submissions with random values on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect);
  });
  afterAll(async () => {
    await h.stop();
  });

  /** Mostly a good value, sometimes anything: so runs reach both the validation and the save. */
  const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) => fc.oneof({ arbitrary: good, weight: 4 }, { arbitrary: bad, weight: 1 });
  const channel = mostly(
    fc.constantFrom('C1FLAGS', 'C1GENERAL', 'G1TEAM'),
    fc.option(fc.oneof(fc.constantFrom('G1SECRET', 'C2OTHER', 'CNOTTHERE', ''), anyString), { nil: null }),
  );
  const form = fc.record({
    name: mostly(
      fc.string({ minLength: 1, maxLength: 30 }).filter((n) => n.trim() !== ''),
      fc.oneof(anyString, fc.constant('n'.repeat(5000))),
    ),
    projectId: mostly(fc.integer({ min: 1, max: 1_000_000 }).map(String), fc.oneof(fc.integer().map(String), anyString, fc.constant('99999999999999999999'))),
    scope: fc.constantFrom('project' as const, 'deployment' as const, 'tag' as const),
    deploymentId: mostly(fc.integer({ min: 1, max: 1000 }).map(String), anyString),
    tags: mostly(fc.constantFrom('checkout', 'a, b', 'payments ,x'), anyString),
    destination: fc.constantFrom('slack' as const, 'webhook' as const),
    channelId: channel,
    webhookUrl: mostly(
      fc.constantFrom('https://93.184.215.14/hooks/a', 'https://hooks.example.com/x'),
      fc.oneof(fc.webUrl(), anyString, fc.constantFrom('https://10.0.0.1/x', 'https://[::1]/x', 'javascript:alert(1)')),
    ),
    signingKey: mostly(fc.constant('a-long-enough-signing-key-1234'), anyString),
    events: mostly(fc.subarray(['created', 'updated', 'deleted'], { minLength: 1 }), fc.subarray(['created', 'updated', 'deleted', 'exploded', ''])),
  });
  const meta = mostly(
    fc.constant({ mode: 'create', channelId: 'C1GENERAL' }),
    fc.oneof(
      fc.record({
        mode: fc.constantFrom('edit', 'create', 'nonsense'),
        alertId: fc.oneof(fc.integer(), anyString, fc.constant(null)),
        hasStoredKey: fc.boolean(),
      }),
      fc.jsonValue().map((v) => ({ junk: v })),
    ),
  );

  it('always answers 200 with inline errors, an update or success, and stores nothing on error', async () => {
    const outcomes: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(
        form,
        meta,
        fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
        async (f, m, scrambled) => {
          const values: Values = formValues(f);
          // Sometimes the state itself is malformed: an element of the wrong type where another is expected.
          if (scrambled) values.project = { project_text: state.checks(['x']) };
          const before = (await listAlerts(h.app.deps.db, 'T1')).length;
          const res = await submitModal(h, { teamId: 'T1', userId: 'U1M', values, meta: m });
          expect(res.status).toBe(200);
          const action = res.body?.response_action;
          expect([undefined, 'errors', 'update', 'clear']).toContain(action);
          const outcome = typeof action === 'string' ? action : 'saved';
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
          const after = (await listAlerts(h.app.deps.db, 'T1')).length;
          if (action === 'errors') {
            expect(Object.keys(res.body?.errors as object).length).toBeGreaterThan(0);
            expect(after).toBe(before);
          }
          expect(await listAlerts(h.app.deps.db, 'T2')).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
    console.log(`[modal fuzz ${dialect}] outcomes of 60 random submissions: ${JSON.stringify(outcomes)}`);
    // Not vacuous: the random forms hit the validation.
    expect(outcomes.errors ?? 0).toBeGreaterThan(0);
    expect((outcomes.saved ?? 0) + (outcomes.update ?? 0)).toBeGreaterThan(0);
  });
});
