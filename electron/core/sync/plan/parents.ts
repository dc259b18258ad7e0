import type { NewLmsUser } from '../../../../adapters/contract';
import {
  parentRoleKey,
  parentsEnabled,
  relationshipCounts,
  type AppliedParents,
  type Mapping,
  type Snapshot,
} from '../../model';
import type { AppliedState } from './applied-state';
import type { LeaveAloneMarks } from './leave-alone';
import type {
  AssignParentRoleOp,
  CreateParentUserOp,
  ParentOperations,
  PlanningError,
  UnassignParentRoleOp,
  UpdateParentUserOp,
  UploadPlan,
  UserIdRef,
} from './operations';
import { checkUsername } from './usernames';
import { personName } from '../../model';

/**
 * The parents rule's plan (mapping.parents, model/parents.ts): for each SMS guardian ↔ child link that
 * counts (relationship in the rule's list, child an active SMS person with an LMS account or one created in
 * this upload), an LMS account for the guardian and the parent role in the child's user context; for each
 * role ClassBridge assigned before whose link went (or no longer counts), its unassignment. Pure, like the
 * rest of the planner.
 *
 * - The account: username = the guardian's email, lower-cased (a guardian without one, or whose email is
 *   no Moodle username, is a planning error naming them, not an account); idnumber `classbridge-parent:<SMS
 *   id>`, ClassBridge's own, so it never collides with a student's or staff member's SMS id and a crashed
 *   create is found again by it; sign-in from mapping.signIn.
 * - Only roles ClassBridge assigned (store.parents) are ever unassigned, with the ids they were assigned
 *   with. Accounts are never suspended or removed here: a guardian whose children left keeps an account
 *   that sees nobody.
 * - Left-alone marks: a marked child or guardian gets no role change at all (neither assigned nor
 *   unassigned), and a marked guardian no account.
 * - The rule off: nothing is planned (and nothing unassigned: turning it off stops ClassBridge changing
 *   parents; it does not undo what it did).
 */
export interface ParentsPlanInput {
  snapshot: Pick<Snapshot, 'people' | 'guardians' | 'guardianLinks'>;
  mapping: Mapping;
  /** The upload's plan without parents: the children it creates (createUsers) get their role in this apply. */
  plan: Pick<UploadPlan, 'createUsers' | 'rekeyPeople'>;
  applied: Pick<AppliedState, 'links' | 'people'>;
  parents: AppliedParents;
  leaveAlone?: LeaveAloneMarks;
}

export interface ParentsPlan extends ParentOperations {
  errors: PlanningError[];
}

export const PARENT_IDNUMBER_PREFIX = 'classbridge-parent:';

export function parentIdnumber(guardianSmsId: string): string {
  return `${PARENT_IDNUMBER_PREFIX}${guardianSmsId}`;
}

export function planParents(input: ParentsPlanInput): ParentsPlan | undefined {
  const rule = input.mapping.parents;
  if (!parentsEnabled(rule)) return undefined;
  const { snapshot, applied, parents } = input;
  const marked = input.leaveAlone?.people ?? new Set<string>();
  const guardians = new Map((snapshot.guardians ?? []).map((g) => [g.smsId, g]));
  const activePeople = new Map(snapshot.people.filter((p) => p.active).map((p) => [p.smsId, p]));
  const createdInThisApply = new Set([
    ...input.plan.createUsers.map((op) => op.key),
    ...input.plan.rekeyPeople.map((op) => op.key),
  ]);
  const childUser = (child: string): UserIdRef | undefined => {
    const linked = applied.links.people[child];
    if (linked !== undefined) return linked;
    return createdInThisApply.has(child) ? { smsPersonId: child } : undefined;
  };

  // Usernames the upload's people hold or are given: a guardian's email may not take one of them.
  const taken = new Map<string, string>();
  for (const key in applied.people) taken.set(applied.people[key]!.username, key);
  for (const op of input.plan.createUsers) taken.set(op.record.username, op.key);
  for (const a of parents.accounts.values()) taken.set(a.username, a.guardianSmsId);

  const errors: PlanningError[] = [];
  const createParentUsers: CreateParentUserOp[] = [];
  const updateParentUsers: UpdateParentUserOp[] = [];
  const assignParentRoles: AssignParentRoleOp[] = [];
  const unassignParentRoles: UnassignParentRoleOp[] = [];
  /** Guardian → their LMS user (known, or created in this apply), or null when they cannot have one. */
  const accountOf = new Map<string, number | { guardianSmsId: string } | null>();
  const auth = input.mapping.signIn?.auth ?? 'manual';
  const createPassword = auth === 'manual' && (input.mapping.signIn?.emailPassword ?? true);

  const account = (guardianSmsId: string): number | { guardianSmsId: string } | null => {
    const known = accountOf.get(guardianSmsId);
    if (known !== undefined) return known;
    const result = decideAccount(guardianSmsId);
    accountOf.set(guardianSmsId, result);
    return result;
  };
  const decideAccount = (guardianSmsId: string): number | { guardianSmsId: string } | null => {
    const existing = parents.accounts.get(guardianSmsId);
    if (existing) return existing.lmsId;
    const g = guardians.get(guardianSmsId)!;
    const name = personName(g) || guardianSmsId;
    const error = (field: string, message: string, fix: string, related?: string[]) => {
      errors.push({
        recordKind: 'person',
        recordKey: guardianSmsId,
        field,
        message,
        fix,
        ...(related ? { related } : {}),
      });
      return null;
    };
    if (!g.email?.trim())
      return error(
        'email',
        `Guardian ${name} (${guardianSmsId}) has no email address, so ClassBridge cannot make their LMS account (its username is the email).`,
        'Add an email address for this guardian in the SMS; until then their children are not linked to them in the LMS.',
      );
    const username = checkUsername(g.email);
    if (!username.ok)
      return error(
        'email',
        `Guardian ${name} (${guardianSmsId}): the email "${g.email.trim()}" ${username.problem}, so it cannot be their LMS username.`,
        'Correct the email address in the SMS.',
      );
    const holder = taken.get(username.username);
    if (holder !== undefined && holder !== guardianSmsId)
      return error(
        'email',
        `Guardian ${name} (${guardianSmsId}): the username "${username.username}" (their email) is already another account's (${holder}).`,
        'Give the guardian their own email address in the SMS (two guardians cannot share one LMS account).',
        [holder],
      );
    taken.set(username.username, guardianSmsId);
    const record: NewLmsUser = {
      username: username.username,
      firstname: g.givenName || g.familyName,
      lastname: g.familyName || g.givenName,
      email: g.email.trim(),
      idnumber: parentIdnumber(guardianSmsId),
      auth,
      ...(createPassword ? { createPassword } : {}),
    };
    createParentUsers.push({ key: guardianSmsId, record, name });
    return { guardianSmsId };
  };

  const wanted = new Set<string>();
  for (const link of snapshot.guardianLinks ?? []) {
    const { guardianSmsId: guardian, childSmsId: child } = link;
    const g = guardians.get(guardian);
    if (!g || !activePeople.has(child)) continue;
    if (!relationshipCounts(rule, link.relationship ?? g.relationship)) continue;
    const key = parentRoleKey(guardian, child);
    wanted.add(key);
    if (marked.has(child) || marked.has(guardian)) continue;
    const childRef = childUser(child);
    if (childRef === undefined) continue; // the child has no LMS account yet (their own error says why)
    const before = parents.roles.get(key);
    if (before && before.roleId === rule.roleId && (typeof childRef !== 'number' || before.childLmsId === childRef))
      continue;
    const parent = account(guardian);
    if (parent === null) continue;
    if (before) unassignParentRoles.push({ key, guardian, child, ...pick(before) }); // role or child changed
    assignParentRoles.push({ key, guardian, child, roleId: rule.roleId, parent, childUser: childRef });
  }
  // A name or email changed in the SMS: the account ClassBridge made is updated (its username stays).
  for (const [guardian, acct] of parents.accounts) {
    const g = guardians.get(guardian);
    if (!g || marked.has(guardian) || !g.email?.trim()) continue;
    const record = {
      id: acct.lmsId,
      firstname: g.givenName || g.familyName,
      lastname: g.familyName || g.givenName,
      email: g.email.trim(),
    };
    if (record.firstname === acct.firstname && record.lastname === acct.lastname && record.email === acct.email)
      continue;
    updateParentUsers.push({ key: guardian, record, name: personName(g) || guardian });
  }
  for (const [key, before] of parents.roles) {
    if (wanted.has(key)) continue;
    if (marked.has(before.childSmsId) || marked.has(before.guardianSmsId)) continue;
    unassignParentRoles.push({ key, guardian: before.guardianSmsId, child: before.childSmsId, ...pick(before) });
  }
  return {
    createParentUsers,
    updateParentUsers,
    assignParentRoles,
    unassignParentRoles,
    activeRoles: parents.roles.size,
    errors,
  };
}

function pick(a: { roleId: number; parentLmsId: number; childLmsId: number }) {
  return { roleId: a.roleId, parentLmsId: a.parentLmsId, childLmsId: a.childLmsId };
}

/**
 * The upload plan with the parents rule's writes and planning errors added (the run and the dry run both
 * call this, so the dry run shows what the run does). Unchanged when the rule is off.
 */
export function withParents(plan: UploadPlan, input: Omit<ParentsPlanInput, 'plan'>): UploadPlan {
  const parents = planParents({ ...input, plan });
  if (!parents) return plan;
  const { errors, ...operations } = parents;
  const allErrors = [...plan.errors, ...errors];
  return {
    ...plan,
    parents: operations,
    errors: allErrors,
    counts: { ...plan.counts, errors: allErrors.length },
  };
}

/** Parent-role removal keys for the held plan's approval (`p:` guardian › child). */
export function parentRemovalKeys(plan: Pick<UploadPlan, 'parents'>): string[] {
  return (plan.parents?.unassignParentRoles ?? []).map((op) => `p:${op.guardian}>${op.child}`);
}

/** The plan without parent-role removals (a rollover pause holds them like every removal). */
export function withoutParentRemovals(plan: UploadPlan): UploadPlan {
  if (!plan.parents || plan.parents.unassignParentRoles.length === 0) return plan;
  // A role whose ids changed is unassigned and assigned again: keep both out, so nothing is lost meanwhile.
  const held = new Set(plan.parents.unassignParentRoles.map((op) => op.key));
  return {
    ...plan,
    parents: {
      ...plan.parents,
      unassignParentRoles: [],
      assignParentRoles: plan.parents.assignParentRoles.filter((op) => !held.has(op.key)),
    },
  };
}

/** What the dry run shows of the rule: the first guardians, each with their children and account (or error). */
export function parentExamples(
  plan: UploadPlan,
  snapshot: Pick<Snapshot, 'people' | 'guardians' | 'guardianLinks'>,
  parents: AppliedParents,
  limit = 3,
): { key: string; name: string; username?: string; children: string[]; error?: string }[] | undefined {
  if (!plan.parents) return undefined;
  const people = new Map(snapshot.people.map((p) => [p.smsId, p]));
  const creates = new Map(plan.parents.createParentUsers.map((op) => [op.key, op]));
  const errors = new Map(plan.errors.filter((e) => e.recordKind === 'person').map((e) => [e.recordKey, e]));
  const children = new Map<string, string[]>();
  for (const l of snapshot.guardianLinks ?? []) {
    const p = people.get(l.childSmsId);
    if (!p?.active) continue;
    const list = children.get(l.guardianSmsId) ?? [];
    list.push(personName(p) || p.smsId);
    children.set(l.guardianSmsId, list);
  }
  const out = [];
  for (const g of snapshot.guardians ?? []) {
    const kids = children.get(g.smsId);
    if (!kids) continue;
    const username = creates.get(g.smsId)?.record.username ?? parents.accounts.get(g.smsId)?.username;
    const error = errors.get(g.smsId)?.message;
    out.push({
      key: g.smsId,
      name: personName(g) || g.smsId,
      ...(username !== undefined ? { username } : {}),
      children: kids,
      ...(error !== undefined ? { error } : {}),
    });
    if (out.length >= limit) break;
  }
  return out;
}
