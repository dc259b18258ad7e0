import { LmsError, type BatchResult, type LmsAdapter, type LmsUserContextRole } from '../../../../adapters/contract';
import type { ParentAccount, ParentRoleAssignment } from '../../model';
import type { Store } from '../../store/store';
import type { ApplyReport } from './types';
import type {
  AssignParentRoleOp,
  CreateParentUserOp,
  IdLookup,
  ParentOperations,
  UnassignParentRoleOp,
  UpdateParentUserOp,
} from '../plan';

/**
 * Applies the parents rule's writes (sync/plan/parents.ts) after every other kind of the upload, so the
 * children created in this upload have LMS ids:
 * 1. guardians' accounts: looked up by ClassBridge's idnumber first (an account made by a run that stopped
 *    before journalling it is found, not made twice), then by username — an account with that username
 *    that is not ClassBridge's is never taken over (a run error with the fix) — then created; each batch's
 *    accounts are journalled (store.parents) as it returns;
 * 2. roles whose ids changed or whose link went: unassigned, with the ids they were assigned with;
 * 3. parent roles assigned in the children's user contexts, journalled per batch. Moodle's role_assign is
 *    idempotent, so a run that stopped between the call and the journal assigns again without a duplicate.
 *
 * A refusal that concerns the connection rather than a record (the token's service lacks
 * core_role_assign_roles, the token's role lacks moodle/role:assign, a role not assignable in user
 * contexts) stops only this phase: one run error with the fix, and the rest of the upload stands.
 */
export interface ParentsApplyInput {
  adapter: LmsAdapter;
  store: Store;
  connectionId: string;
  runId: number;
  ops: ParentOperations;
  /** Children's LMS ids: applied links and the ids learnt earlier in this apply. */
  lookup: IdLookup;
  batchSize: number;
  signal?: AbortSignal;
}

export interface ParentsApplyReport {
  accountsCreated: number;
  accountsLinked: number;
  accountsUpdated: number;
  assigned: number;
  unassigned: number;
  failed: number;
  skipped: number;
  notes: string[];
}

const FUNCTION_FIX =
  'Add core_role_assign_roles and core_role_unassign_roles to the ClassBridge service: Site administration › Server › ' +
  'Web services › External services › (the ClassBridge service) › Functions › Add functions. Then run the upload again.';
const PERMISSION_FIX =
  "Give the web-service user's role moodle/role:assign (Site administration › Users › Permissions › Define roles, the " +
  'role assigned at system level) and allow it to assign the parent role (Allow role assignments). Then run the upload again.';

export async function applyParents(input: ParentsApplyInput): Promise<ParentsApplyReport> {
  const report: ParentsApplyReport = {
    accountsCreated: 0,
    accountsLinked: 0,
    accountsUpdated: 0,
    assigned: 0,
    unassigned: 0,
    failed: 0,
    skipped: 0,
    notes: [],
  };
  const { adapter, ops } = input;
  const total =
    ops.createParentUsers.length +
    ops.updateParentUsers.length +
    ops.assignParentRoles.length +
    ops.unassignParentRoles.length;
  if (total === 0) return report;
  const assign = adapter.assignUserContextRoles?.bind(adapter);
  const unassign = adapter.unassignUserContextRoles?.bind(adapter);
  if (!assign || !unassign) {
    report.skipped = total;
    report.notes.push('Parents were not linked: this LMS connection cannot assign roles in user contexts.');
    return report;
  }
  const errors = new Errors(input, report);
  try {
    const accounts = await createAccounts(input, ops.createParentUsers, errors, report);
    await updateAccounts(input, ops.updateParentUsers, errors, report);
    await unassignRoles(input, ops.unassignParentRoles, unassign, errors, report);
    await assignRoles(input, ops.assignParentRoles, accounts, assign, errors, report);
  } catch (err) {
    if (!(err instanceof LmsError) || input.signal?.aborted) throw err;
    errors.connection(err);
  }
  return report;
}

/** Run errors of this phase: per guardian, or one for the connection. */
class Errors {
  private connectionReported = false;
  constructor(
    private readonly input: ParentsApplyInput,
    private readonly report: ParentsApplyReport,
  ) {}

  record(guardian: string, error: LmsError): void {
    this.report.failed += 1;
    this.input.store.runs.addError(this.input.runId, {
      recordKind: 'person',
      recordKey: guardian,
      message: `Parent link: ${error.message}`,
      fix: error.fix ?? 'Check the record in the LMS, then retry the upload.',
    });
  }

  /** A refusal every parent write would get: said once, with the fix; the rest of the upload stands. */
  connection(error: LmsError): void {
    if (this.connectionReported) return;
    this.connectionReported = true;
    const fix =
      error.kind === 'access'
        ? FUNCTION_FIX
        : error.kind === 'no-permission'
          ? PERMISSION_FIX
          : (error.fix ?? 'Check the parents setting of this connection, then run the upload again.');
    const message = `Parents were not linked: ${error.message}`;
    this.input.store.runs.addError(this.input.runId, {
      recordKind: 'connection',
      recordKey: this.input.connectionId,
      message,
      fix,
    });
    this.report.notes.push(`${message} ${fix}`);
    this.report.failed += 1;
  }
}

/** The account as journalled: what ClassBridge sent (or found by its idnumber). */
function accountOf(op: CreateParentUserOp, lmsId: number, username: string): ParentAccount {
  const { idnumber, firstname, lastname, email } = op.record;
  return { guardianSmsId: op.key, lmsId, username, idnumber, firstname, lastname, email };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Guardian SMS id → their LMS user id, for every account made or found in this apply. */
async function createAccounts(
  input: ParentsApplyInput,
  ops: readonly CreateParentUserOp[],
  errors: Errors,
  report: ParentsApplyReport,
): Promise<Map<string, number>> {
  const { adapter, store, connectionId } = input;
  const made = new Map<string, number>();
  for (const batch of chunks(ops, input.batchSize)) {
    input.signal?.throwIfAborted();
    // 1. Ours already (a run that stopped after the create): by ClassBridge's idnumber.
    const byIdnumber = new Map(
      (
        await adapter.findUsers(
          'idnumber',
          batch.map((op) => op.record.idnumber),
        )
      ).map((u) => [u.idnumber, u]),
    );
    const found: ParentAccount[] = [];
    const rest: CreateParentUserOp[] = [];
    for (const op of batch) {
      const user = byIdnumber.get(op.record.idnumber);
      if (user) found.push(accountOf(op, user.id, user.username));
      else rest.push(op);
    }
    // 2. Someone else's account with that username: never taken over.
    const byUsername =
      rest.length === 0
        ? new Map()
        : new Map(
            (
              await adapter.findUsers(
                'username',
                rest.map((op) => op.record.username),
              )
            ).map((u) => [u.username, u]),
          );
    const toCreate: CreateParentUserOp[] = [];
    for (const op of rest) {
      const other = byUsername.get(op.record.username);
      if (!other) {
        toCreate.push(op);
        continue;
      }
      errors.record(
        op.key,
        new LmsError(
          'conflict',
          `${op.name}: an LMS account with the username "${op.record.username}" already exists and ClassBridge did not make it`,
          {
            fix:
              "ClassBridge does not take over an account it did not create. If that account is this guardian's, set its ID number to " +
              `"${op.record.idnumber}" in the LMS and the next upload links it; otherwise give the guardian another email in the SMS.`,
          },
        ),
      );
    }
    store.parents.recordAccounts(connectionId, found);
    for (const a of found) made.set(a.guardianSmsId, a.lmsId);
    report.accountsLinked += found.length;
    if (toCreate.length === 0) continue;
    // 3. Made, and journalled as the batch returns.
    const result = await adapter.createUsers(toCreate.map((op) => op.record));
    const created: ParentAccount[] = [];
    toCreate.forEach((op, i) => {
      const outcome = result.outcomes[i];
      if (outcome?.ok) {
        created.push(accountOf(op, outcome.value.id, op.record.username));
      } else if (outcome) errors.record(op.key, outcome.error);
    });
    store.parents.recordAccounts(connectionId, created);
    for (const a of created) made.set(a.guardianSmsId, a.lmsId);
    report.accountsCreated += created.length;
    report.notes.push(...result.notes);
  }
  return made;
}

/** Names and emails changed in the SMS, on accounts ClassBridge made (the username stays). */
async function updateAccounts(
  input: ParentsApplyInput,
  ops: readonly UpdateParentUserOp[],
  errors: Errors,
  report: ParentsApplyReport,
): Promise<void> {
  for (const batch of chunks(ops, input.batchSize)) {
    input.signal?.throwIfAborted();
    const result = await input.adapter.updateUsers(batch.map((op) => op.record));
    const done: Pick<ParentAccount, 'guardianSmsId' | 'firstname' | 'lastname' | 'email'>[] = [];
    batch.forEach((op, i) => {
      const outcome = result.outcomes[i];
      if (outcome?.ok) done.push({ guardianSmsId: op.key, ...op.record });
      else if (outcome) errors.record(op.key, outcome.error);
    });
    input.store.parents.recordUpdated(input.connectionId, done);
    report.accountsUpdated += done.length;
    report.notes.push(...result.notes);
  }
}

async function unassignRoles(
  input: ParentsApplyInput,
  ops: readonly UnassignParentRoleOp[],
  unassign: (items: readonly LmsUserContextRole[]) => Promise<BatchResult<null>>,
  errors: Errors,
  report: ParentsApplyReport,
): Promise<void> {
  for (const batch of chunks(ops, input.batchSize)) {
    input.signal?.throwIfAborted();
    const result = await unassign(
      batch.map((op) => ({ roleId: op.roleId, userId: op.parentLmsId, contextUserId: op.childLmsId })),
    );
    if (allRefusedAlike(result)) {
      errors.connection(firstError(result));
      throw new StopPhase();
    }
    const done: { guardianSmsId: string; childSmsId: string }[] = [];
    batch.forEach((op, i) => {
      const outcome = result.outcomes[i];
      if (outcome?.ok) done.push({ guardianSmsId: op.guardian, childSmsId: op.child });
      else if (outcome) errors.record(op.guardian, outcome.error);
    });
    input.store.parents.recordUnassigned(input.connectionId, done);
    report.unassigned += done.length;
    report.notes.push(...result.notes);
  }
}

async function assignRoles(
  input: ParentsApplyInput,
  ops: readonly AssignParentRoleOp[],
  accounts: ReadonlyMap<string, number>,
  assign: (items: readonly LmsUserContextRole[]) => Promise<BatchResult<null>>,
  errors: Errors,
  report: ParentsApplyReport,
): Promise<void> {
  const ready: { op: AssignParentRoleOp; parent: number; child: number }[] = [];
  for (const op of ops) {
    const parent = typeof op.parent === 'number' ? op.parent : accounts.get(op.parent.guardianSmsId);
    const child = typeof op.childUser === 'number' ? op.childUser : input.lookup.person(op.childUser.smsPersonId);
    // The guardian's account or the child's was not made (its own run error says why): nothing to send.
    if (parent === undefined || child === undefined) report.skipped += 1;
    else ready.push({ op, parent, child });
  }
  for (const batch of chunks(ready, input.batchSize)) {
    input.signal?.throwIfAborted();
    const result = await assign(batch.map((r) => ({ roleId: r.op.roleId, userId: r.parent, contextUserId: r.child })));
    if (allRefusedAlike(result)) {
      errors.connection(firstError(result));
      throw new StopPhase();
    }
    const done: ParentRoleAssignment[] = [];
    batch.forEach((r, i) => {
      const outcome = result.outcomes[i];
      if (outcome?.ok)
        done.push({
          guardianSmsId: r.op.guardian,
          childSmsId: r.op.child,
          roleId: r.op.roleId,
          parentLmsId: r.parent,
          childLmsId: r.child,
        });
      else if (outcome) errors.record(r.op.guardian, outcome.error);
    });
    input.store.parents.recordAssigned(input.connectionId, done);
    report.assigned += done.length;
    report.notes.push(...result.notes);
  }
}

/** Every item refused with one and the same error (the adapter's verdict on the role, not on a record). */
function allRefusedAlike(result: BatchResult<null>): boolean {
  if (result.outcomes.length < 2) return false;
  const first = result.outcomes[0];
  if (!first || first.ok) return false;
  return result.outcomes.every((o) => !o.ok && o.error === first.error);
}

function firstError(result: BatchResult<null>): LmsError {
  const first = result.outcomes[0];
  if (first && !first.ok) return first.error;
  return new LmsError('unexpected', 'no answer');
}

/** Ends this phase after a connection-level refusal (already reported). */
class StopPhase extends LmsError {
  constructor() {
    super('unexpected', 'parents phase stopped');
  }
}

/** The apply report with the parents phase counted in: accounts and roles made, roles removed, failures. */
export function addParentsReport(report: ApplyReport, parents: ParentsApplyReport | undefined): ApplyReport {
  if (!parents) return report;
  // In place: the report's `state` is a getter built on first read, which a copy would call now.
  report.created += parents.accountsCreated + parents.assigned;
  report.linked += parents.accountsLinked;
  report.updated += parents.accountsUpdated;
  report.removed += parents.unassigned;
  report.failed += parents.failed;
  report.skipped += parents.skipped;
  report.notes.push(...new Set(parents.notes));
  report.parents = parents;
  return report;
}
