import { z } from 'zod';

/**
 * Parents and guardians (issue 15 item 5), per LMS connection: an LMS account for each SMS guardian of a
 * synced student, with a parent role assigned in the child's **user context** — Moodle's "mentor" pattern
 * (docs.moodle.org "Parent role"): the parent sees the child's profile, grades and activity, and nothing
 * of anyone else. Off by default: a school turns it on knowingly (guardians' names and emails then reach
 * the LMS).
 *
 * `roleId` is the parent role's id in the LMS. Moodle has no web service that lists roles, and a role
 * assigned in a user context is never seen among course participants (where ClassBridge learns the other
 * role ids), so the admin gives it: Site administration › Users › Permissions › Define roles, the role
 * whose "Context types where this role may be assigned" includes User.
 */
export const ParentsSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** The parent role's id (required when enabled). */
    roleId: z.number().int().positive('A role id is a whole number above 0').optional(),
    /** Which SMS relationships count (e.g. parent, guardian, mother); absent: all of them. Compared without case. */
    relationships: z
      .array(z.string().trim().min(1, 'Name a relationship, for example parent or guardian'))
      .min(1, 'List at least one relationship, or remove the field to count them all')
      .optional(),
  })
  .strict()
  .superRefine((parents, ctx) => {
    if (parents.enabled && parents.roleId === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['roleId'],
        message:
          "Give the parent role's id: in Moodle, Site administration › Users › Permissions › Define roles, open the parent role (one that may be assigned in the User context) and copy the number after roleid= in its address.",
      });
  });
export type Parents = z.infer<typeof ParentsSchema>;

/** Whether the parents rule is on with everything it needs. */
export function parentsEnabled(parents: Parents | undefined): parents is Parents & { enabled: true; roleId: number } {
  return parents?.enabled === true && parents.roleId !== undefined;
}

/** Whether a guardian link's relationship counts under the rule (absent list: every relationship). */
export function relationshipCounts(parents: Pick<Parents, 'relationships'>, relationship: string | undefined): boolean {
  if (!parents.relationships) return true;
  const wanted = relationship?.trim().toLowerCase() ?? '';
  return parents.relationships.some((r) => r.trim().toLowerCase() === wanted);
}

// ─── What the rule applied to one LMS connection (store.parents, migration 020) ─────────────────

/** An LMS account ClassBridge made (or found by its own idnumber) for a guardian on one LMS connection. */
export interface ParentAccount {
  guardianSmsId: string;
  lmsId: number;
  /** Decided once, from the email at creation: never changed afterwards (it is how the parent signs in). */
  username: string;
  idnumber: string;
  /** As last written to the LMS: a change in the SMS is sent as an update. */
  firstname: string;
  lastname: string;
  email: string;
}

/** A parent role ClassBridge assigned in a child's user context, with the ids it was assigned with. */
export interface ParentRoleAssignment {
  guardianSmsId: string;
  childSmsId: string;
  roleId: number;
  parentLmsId: number;
  childLmsId: number;
}

/** What the parents rule applied to one LMS connection (migration 020): its own applied state. */
export interface AppliedParents {
  accounts: Map<string, ParentAccount>;
  /** By parentRoleKey(guardian, child). */
  roles: Map<string, ParentRoleAssignment>;
}

/** One key per guardian and child (a unit separator: the intake refuses control characters in ids). */
export function parentRoleKey(guardianSmsId: string, childSmsId: string): string {
  return `${guardianSmsId}\u001f${childSmsId}`;
}
