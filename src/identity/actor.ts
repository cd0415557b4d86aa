import type { Role } from './roles.js';

/** Who is making a request: a logged-in user, an application's API key, or nobody. */
export type Actor =
  | { kind: 'user'; userId: string; orgId: string; username: string; roles: readonly Role[] }
  | { kind: 'application'; applicationId: string; keyId: string; orgId: string; roles: readonly Role[] }
  | { kind: 'anonymous' };

/** An actor that has authenticated. */
export type AuthenticatedActor = Exclude<Actor, { kind: 'anonymous' }>;

/** The anonymous actor. */
export const ANONYMOUS: Actor = { kind: 'anonymous' };

/** Whether the actor holds a role. */
export function hasRole(actor: Actor, role: Role): boolean {
  return actor.kind !== 'anonymous' && actor.roles.includes(role);
}
