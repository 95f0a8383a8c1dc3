import type { z } from 'zod';

/** One reason a body was refused, named by where it is: `(body)` for the body itself. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** A 400 names at most this many issues: enough to fix a body, and a hostile one cannot make the answer huge. */
const MAX_ISSUES = 50;

/** Zod's issues as `{path, message}`; `prefix` is where the parsed value sits in the body (a part parsed on its own, e.g. `data.object`). */
export function issuesOf(error: z.ZodError, prefix = ''): ValidationIssue[] {
  return error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = [...(prefix === '' ? [] : [prefix]), ...issue.path.map(String)];
    return { path: path.length === 0 ? '(body)' : path.join('.'), message: issue.message };
  });
}
