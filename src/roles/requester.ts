import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { listAdmins } from './members.repository.js';
import type { Role } from './roles.js';

/** Who asks, as their surface identified them; the role comes from the one role rule (roleOf, or operator = admin). */
export interface Requester {
  organizationId: string;
  /** recorded as creator and test requester: a Slack user id, or "operator" */
  actor: string;
  role: Role;
}

/** The role does not allow it: the surface names the role and the admins to ask. */
export interface Refused {
  kind: 'refused';
  role: Role;
  admins: string[];
}

/** Every operation (alerts, sources) asks this first; a surface hiding a button is not enough. undefined: allowed. */
export async function refusalUnless(db: Kysely<Database>, requester: Requester, allowed: (role: Role) => boolean): Promise<Refused | undefined> {
  if (allowed(requester.role)) return undefined;
  return { kind: 'refused', role: requester.role, admins: await listAdmins(db, requester.organizationId) };
}
