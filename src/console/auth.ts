/**
 * Who may do what in the console: three roles (Cognito groups when deployed, the local token's
 * role on this machine) and the one permission matrix every API route checks. The UI hides what a
 * role cannot do, but the API is the gate: a request without the permission gets 403.
 */
import { z } from 'zod';

export const ROLES = ['admin', 'analyst', 'viewer'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** What a request may want to do. `read` is everything that changes nothing. */
export const ACTIONS = ['read', 'manageExceptions', 'managePolicies', 'manageAccounts', 'manageDestinations'] as const;
export type ConsoleAction = (typeof ACTIONS)[number];

/** Admins change policies, accounts and destinations; analysts manage exceptions; viewers read. */
const GRANTS: Record<Role, readonly ConsoleAction[]> = {
  admin: ACTIONS,
  analyst: ['read', 'manageExceptions'],
  viewer: ['read'],
};

export function can(role: Role, action: ConsoleAction): boolean {
  return GRANTS[role].includes(action);
}

/** The caller of one request, as the runtime's authentication established it. */
export const principalSchema = z.object({
  /** Stable identity: the Cognito `sub`, or `local:<os user>` for `posture console`. */
  id: z.string().min(1),
  /** What the audit log shows: the Cognito username or email, or the local OS user. */
  name: z.string().min(1),
  role: roleSchema,
});
export type Principal = z.infer<typeof principalSchema>;

/**
 * The role of a Cognito user from its `cognito:groups` claim: the most privileged of the groups it
 * is in; a user in none of the three groups has no role and is refused.
 */
export function roleFromGroups(groups: readonly string[]): Role | null {
  for (const role of ROLES) if (groups.includes(role)) return role;
  return null;
}
