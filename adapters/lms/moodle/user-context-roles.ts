import { LmsError, type BatchResult, type ItemOutcome, type LmsUserContextRole } from '../../contract';
import type { BatchSpec } from './batch-runner';
import type { FormValue } from './form-encoding';
import { ok } from './records';
import * as S from './schemas';

/**
 * core_role_assign_roles / core_role_unassign_roles with `contextlevel: 'user'` and `instanceid` = the
 * child's user id (enrol/externallib.php core_role_external; services.php: moodle/role:assign, write).
 * Both run in one delegated transaction per call, so one bad item fails its chunk and the batch runner
 * splits it down to that item. Both are idempotent (role_assign returns an existing assignment;
 * role_unassign of nothing is no error), so a resend after a timeout cannot duplicate anything.
 *
 * A role not assignable in user contexts (every standard role: only one whose "Context types where this
 * role may be assigned" include User is) fails every item alike with "Invalid parameter value detected".
 * So the first item goes alone, then a second: when both fail so, the rest is not sent (that would cost
 * two requests per item in bisection) and every item gets the error with the fix.
 */
export interface UserContextRoleDeps {
  batch<I, R>(spec: Omit<BatchSpec<I, R>, 'batchSize' | 'varBudget' | 'maxAttempts'>): Promise<BatchResult<R>>;
  write(fn: string, params: Record<string, FormValue>, idempotent: boolean, items: number): Promise<unknown>;
}

export type UserContextRoleOp = 'core_role_assign_roles' | 'core_role_unassign_roles';

export async function sendUserContextRoles(
  deps: UserContextRoleDeps,
  op: UserContextRoleOp,
  items: readonly LmsUserContextRole[],
): Promise<BatchResult<null>> {
  const key = op === 'core_role_assign_roles' ? 'assignments' : 'unassignments';
  const encode = (a: LmsUserContextRole): FormValue => ({
    roleid: a.roleId,
    userid: a.userId,
    contextlevel: 'user',
    instanceid: a.contextUserId,
  });
  const send = (list: readonly LmsUserContextRole[]) =>
    deps.batch({
      operation: op,
      items: list,
      encode,
      send: async (chunk) => {
        S.parseAnswer(S.NullSchema, await deps.write(op, { [key]: chunk.map(encode) }, true, chunk.length), op);
        return chunk.map(() => ok(null));
      },
    });
  if (items.length <= 2) return send(items);
  const outcomes: ItemOutcome<null>[] = [];
  const notes: string[] = [];
  for (let i = 0; i < 2; i++) {
    const first = await send([items[i] as LmsUserContextRole]);
    notes.push(...first.notes);
    outcomes.push(first.outcomes[0] ?? failed(op, 'no answer'));
    if (outcomes[i]?.ok) break;
  }
  const canaries = outcomes.length;
  const roleRefused = outcomes.every((o) => !o.ok && o.error.kind === 'invalid-parameter');
  if (canaries === 2 && roleRefused) {
    const error = roleError(op, items[0] as LmsUserContextRole, (outcomes[0] as { error: LmsError }).error);
    return { outcomes: items.map(() => ({ ok: false, error })), notes };
  }
  const rest = await send(items.slice(canaries));
  return { outcomes: [...outcomes, ...rest.outcomes], notes: [...notes, ...rest.notes] };
}

function failed(op: string, message: string): ItemOutcome<null> {
  return { ok: false, error: new LmsError('unexpected', `${op}: ${message}`, { operation: op }) };
}

/** The refusal in words: which role, and what makes a role assignable in a user's context. */
export function roleError(op: string, item: LmsUserContextRole, cause: LmsError): LmsError {
  const verb = op === 'core_role_assign_roles' ? 'assign' : 'unassign';
  return new LmsError(
    'invalid-parameter',
    `Moodle would not ${verb} role id ${item.roleId} in a user's context (${cause.message})`,
    {
      ...cause.details,
      operation: op,
      fix:
        `Check the parent role: in Moodle, Site administration › Users › Permissions › Define roles, edit the role with id ${item.roleId} and tick "User" under ` +
        '"Context types where this role may be assigned" (no standard role has it: make a "Parent" role if there is none), ' +
        "make sure the web-service user's role may assign it (Allow role assignments), and give that role's id in the connection's parents setting.",
    },
  );
}
