import { z } from 'zod';
import { issuesOf, type ValidationIssue } from './validation-issues.js';

export type ParsedEvents<E> = { ok: true; events: E[] } | { ok: false; issues: ValidationIssue[] };

/**
 * The body both event routes take: one event, or `{ "events": [...] }` of at most `maxEvents`.
 * All-or-nothing: one bad event refuses the whole body, every issue named by its path.
 */
export function eventsBodyParser<S extends z.ZodType>(eventSchema: S, maxEvents: number): (body: unknown) => ParsedEvents<z.infer<S>> {
  const batchSchema = z.object({ events: z.array(eventSchema).max(maxEvents, `at most ${maxEvents} events per request`) });
  return (body) => {
    const isBatch = typeof body === 'object' && body !== null && !Array.isArray(body) && 'events' in body;
    if (isBatch) {
      const result = batchSchema.safeParse(body);
      return result.success ? { ok: true, events: result.data.events } : { ok: false, issues: issuesOf(result.error) };
    }
    const result = eventSchema.safeParse(body);
    return result.success ? { ok: true, events: [result.data] } : { ok: false, issues: issuesOf(result.error) };
  };
}
