/** A flag as an access names it: `proj/<project>:env/<environment>:flag/<flag>` (the environment is absent on some). */
export interface FlagResource {
  project: string;
  environment: string | null;
  flag: string;
}

/**
 * Reads a LaunchDarkly resource string. Null when it names no flag (a project, an environment, a segment…).
 * A key can carry a tag filter after `;` in role policies (`proj/*;mobile`); the key is what precedes it.
 */
export function parseFlagResource(resource: string): FlagResource | null {
  const parts = new Map<string, string>();
  for (const segment of resource.split(':')) {
    const slash = segment.indexOf('/');
    if (slash <= 0) return null;
    parts.set(segment.slice(0, slash), segment.slice(slash + 1).split(';')[0] ?? '');
  }
  const project = parts.get('proj');
  const flag = parts.get('flag');
  if (!project || !flag || parts.size > 3) return null;
  return { project, environment: parts.get('env') || null, flag };
}
