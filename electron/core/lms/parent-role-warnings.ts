import type { LmsSiteInfo } from '../../../adapters/contract';

/** What the parents rule's writes need from the service (sync/apply/parents.ts). */
export const PARENT_ROLE_FUNCTIONS = ['core_role_assign_roles', 'core_role_unassign_roles'] as const;

/**
 * For the dry run: the parent-role writes in the plan the token's service would refuse (site info lists
 * the functions it allows). Not a feature of the diagnosis: a site without the parents rule needs neither
 * function, and `doctor` should not call it broken for that. moodle/role:assign and whether the role may be
 * assigned in user contexts are only found by the run (one error with the fix).
 */
export function parentRoleWarnings(site: Pick<LmsSiteInfo, 'functions'>, writes: number): string[] {
  if (writes === 0) return [];
  const allowed = new Set(site.functions);
  const missing = PARENT_ROLE_FUNCTIONS.filter((f) => !allowed.has(f));
  if (missing.length === 0) return [];
  return [
    `${writes} parent link change(s) in this plan would fail: the web service does not allow ${missing.join(', ')}. ` +
      'Add them under Site administration › Server › Web services › External services › (the ClassBridge service) › Functions.',
  ];
}
