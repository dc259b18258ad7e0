import { LmsError, type BatchResult, type LmsAdapter, type LmsGroupMember } from '../../../../adapters/contract';
import { RECORDS_PER_APPLY_CALL } from '../../../../adapters/lms/moodle/batch-sizes';
import type { NewRunError } from '../../store/repositories/runs-repository';
import { OP_KINDS, type AppliedState, type EnrolOp, type OpKind, type Resolved, type UploadPlan } from '../plan';
import { ApplyContext, DEFAULT_FIX } from './context';
import { createCourses, createGroups, createUsers } from './creates';
import { applyCohortKind } from './cohorts';
import { ApplyJournal } from './journal';
import { CourseCopiesRepository } from '../../store/repositories/course-copies-repository';
import { addParentsReport, applyParents } from './parents';
import { summarise } from './summary';
import type { ApplyInput, ApplyReport } from './types';

const RECORD_KIND: Record<OpKind, string> = {
  rekeyPeople: 'person',
  rekeyCourses: 'course',
  createUsers: 'person',
  updateUsers: 'person',
  reactivateUsers: 'person',
  suspendUsers: 'person',
  createCohorts: 'cohort',
  addCohortMembers: 'cohort-membership',
  removeCohortMembers: 'cohort-membership',
  createCourses: 'course',
  updateCourses: 'course',
  createGroups: 'group',
  enrol: 'enrolment',
  suspendEnrolments: 'enrolment',
  unenrol: 'enrolment',
  addGroupMembers: 'membership',
  removeGroupMembers: 'membership',
};

/** An adapter that can take members out of groups (not in the contract yet; the Moodle adapter cannot). */
interface GroupMemberRemover {
  removeGroupMembers(members: readonly LmsGroupMember[]): ReturnType<LmsAdapter['addGroupMembers']>;
}

/**
 * Applies an upload plan to one LMS, in OP_KINDS order, idempotently and resumably:
 * - creates look the record up in the LMS first and link what exists;
 * - every learnt LMS id is journalled to `store.links` as its batch returns, and the applied state
 *   is persisted after each operation kind, so a run that stops anywhere resumes by re-planning
 *   from the persisted state, with no duplicate and nothing skipped;
 * - an operation whose user, course or group is unknown (its create failed) is skipped, not sent;
 * - a record the LMS rejects becomes a run error (with the LMS's message and fix) and the rest goes on;
 * - an LmsError the adapter throws (token, access, web services off…) or an abort stops the apply:
 *   the state so far is persisted and the error rethrown. Any other error is treated as a crash
 *   (nothing more is written; the journal covers it).
 */
export async function applyPlan(input: ApplyInput): Promise<ApplyReport> {
  const { plan, applied, store, connectionId } = input;
  const journal = new ApplyJournal(store, connectionId, applied);
  const ctx = new ApplyContext(
    input.adapter,
    journal,
    input.runId,
    Math.max(1, input.batchSize ?? RECORDS_PER_APPLY_CALL),
    (kind, key, error) => runError(input, kind, key, error),
    input.signal,
    input.onProgress
      ? (kind, processed) => input.onProgress?.({ kind, done: processed, total: plan.counts.total })
      : undefined,
  );
  const saved = store.connections.get(connectionId);
  ctx.accounts = {
    connectionId,
    decisions: store.linkDecisions,
    linkExisting: saved?.kind === 'lms' && saved.mapping.linkExistingAccounts,
  };
  ctx.courseCopies = { connectionId, copies: new CourseCopiesRepository(store.db) };
  const done = (kind: OpKind, key: string) => ctx.done.has(ApplyContext.doneKey(kind, key));
  // 0 of the total as the first write starts: the bar shows at once, and its rate is measured from here.
  const first = OP_KINDS.find((kind) => plan[kind].length > 0);
  if (first) input.onProgress?.({ kind: first, done: 0, total: plan.counts.total });
  let current: OpKind | undefined;
  try {
    for (const kind of OP_KINDS) {
      if (plan[kind].length === 0) continue;
      current = kind;
      if (kind === 'createCohorts' || kind === 'addCohortMembers' || kind === 'removeCohortMembers')
        await applyCohortKind(ctx, plan, kind, store, connectionId);
      else await applyKind(ctx, plan, kind);
      journal.persist(plan, done, kind);
      current = undefined;
      input.logger?.debug({ kind, ...ctx.count(kind) }, 'upload: operation kind applied');
    }
    // Adopted courses need no LMS write but still become links and baselines.
    // So do identities recorded without a write.
    if ((plan.adoptedCourses.length > 0 || (plan.identities?.length ?? 0) > 0) && plan.counts.total === 0)
      journal.persist(plan, done);
  } catch (err) {
    if (err instanceof LmsError || input.signal?.aborted) {
      journal.persist(plan, done, current);
      input.logger?.warn({ kind: err instanceof LmsError ? err.kind : 'aborted' }, 'upload: apply stopped');
    }
    throw err;
  }
  // Parents last (sync/apply/parents.ts), once the children have LMS ids; journalled in store.parents.
  const parents = plan.parents
    ? await applyParents({
        adapter: input.adapter,
        store,
        connectionId,
        runId: input.runId,
        ops: plan.parents,
        lookup: journal.lookup(),
        batchSize: Math.max(1, input.batchSize ?? RECORDS_PER_APPLY_CALL),
        ...(input.signal ? { signal: input.signal } : {}),
      })
    : undefined;
  return addParentsReport(
    summarise(ctx, plan, applied, () => journal.state(plan, done)),
    parents,
  );
}

async function applyKind(ctx: ApplyContext, plan: UploadPlan, kind: OpKind): Promise<void> {
  const a = ctx.adapter;
  switch (kind) {
    case 'rekeyPeople':
      // The old account takes the new record; its id becomes the new SMS key's link as the batch returns.
      return ctx.pipelined(plan.rekeyPeople, (batch) =>
        ctx.send(
          kind,
          ctx.resolveAll(kind, batch, (op) => op.record),
          (r) => a.updateUsers(r),
          (op) => ({ entity: 'people', smsId: op.key, lmsId: op.lmsId, replaces: op.from }),
        ),
      );
    case 'rekeyCourses':
      return ctx.pipelined(plan.rekeyCourses, (batch) =>
        ctx.send(
          kind,
          ctx.resolveAll(kind, batch, (op) => op.record),
          (r) => a.updateCourses(r),
          (op) => ({ entity: 'courses', smsId: op.key, lmsId: op.lmsId, replaces: op.from }),
        ),
      );
    case 'createUsers':
      return createUsers(ctx, plan.createUsers);
    case 'createCourses':
      return createCourses(ctx, plan.createCourses);
    case 'createGroups':
      return createGroups(ctx, plan.createGroups);
    case 'updateUsers':
    case 'reactivateUsers':
      return sendAll(
        ctx,
        kind,
        plan[kind],
        (op) => op.record,
        (r) => a.updateUsers(r),
      );
    case 'suspendUsers':
      return sendAll(
        ctx,
        kind,
        plan.suspendUsers,
        (op) => op.record,
        (r) => a.suspendUsers(r.map((x) => x.userId)),
      );
    case 'updateCourses':
      return sendAll(
        ctx,
        kind,
        plan.updateCourses,
        (op) => op.record,
        (r) => a.updateCourses(r),
      );
    case 'enrol':
      return sendEnrolments(ctx, plan.enrol, a);
    case 'suspendEnrolments':
      return sendAll(
        ctx,
        kind,
        plan[kind],
        (op) => op.record,
        (r) => a.enrol(r),
      );
    case 'unenrol':
      return sendAll(
        ctx,
        kind,
        plan.unenrol,
        (op) => op.record,
        (r) => a.unenrol(r),
      );
    case 'addGroupMembers':
      return sendAll(
        ctx,
        kind,
        plan.addGroupMembers,
        (op) => op.record,
        (r) => a.addGroupMembers(r),
      );
    case 'createCohorts':
    case 'addCohortMembers':
    case 'removeCohortMembers':
      return; // sync/apply/cohorts.ts, from applyPlan
    case 'removeGroupMembers': {
      const remover = a as Partial<GroupMemberRemover>;
      if (typeof remover.removeGroupMembers === 'function') {
        const remove = remover.removeGroupMembers.bind(a);
        return sendAll(
          ctx,
          kind,
          plan.removeGroupMembers,
          (op) => op.record,
          (r) => remove(r),
        );
      }
      // Left in the plan (not done), so a later adapter that can remove members catches up; costs no request.
      for (const op of plan.removeGroupMembers)
        ctx.skip(kind, op.key, 'not-supported', 'this LMS adapter cannot remove group members');
      ctx.notes.push(
        `${plan.removeGroupMembers.length} group membership(s) ended in the SMS were left in the LMS: this LMS connection cannot remove group members yet.`,
      );
      return;
    }
  }
}

/** Resolves, batches and sends operations that need no look-up. */
async function sendAll<O extends { key: string }, R extends object, V>(
  ctx: ApplyContext,
  kind: OpKind,
  ops: readonly O[],
  pick: (op: O) => R,
  call: (records: Resolved<R>[]) => Promise<BatchResult<V>>,
): Promise<void> {
  await ctx.pipelined(ops, (batch) => ctx.send(kind, ctx.resolveAll(kind, batch, pick), call));
}

/**
 * Enrolments, then, for each one whose role changed, the old role unassigned — only once the new role is
 * in, so nobody is left enrolled with no role. The person keeps the enrolment (and its grades): only
 * the role the SMS no longer gives goes. A failed unassignment is that enrolment's error, with the fix.
 */
async function sendEnrolments(ctx: ApplyContext, ops: readonly EnrolOp[], a: LmsAdapter): Promise<void> {
  await ctx.pipelined(ops, async (batch) => {
    const pairs = ctx.resolveAll('enrol', batch, (op) => op.record);
    await ctx.send('enrol', pairs, (r) => a.enrol(r));
    const replaced = pairs.filter(
      (p) => p.op.replacesRole !== undefined && ctx.done.has(ApplyContext.doneKey('enrol', p.op.key)),
    );
    if (replaced.length === 0) return;
    const result = await a.unenrol(
      replaced.map((p) => ({ userId: p.record.userId, courseId: p.record.courseId, roleShortname: p.op.replacesRole })),
    );
    ctx.reportFailures(
      'enrol',
      replaced.flatMap((p, i) => {
        const outcome = result.outcomes[i];
        return outcome && !outcome.ok
          ? [{ key: p.op.key, error: withFix(outcome.error, `the old role "${p.op.replacesRole}" is still assigned`) }]
          : [];
      }),
    );
  });
}

function withFix(error: LmsError, what: string): LmsError {
  return new LmsError(error.kind, `${error.message} (${what})`, {
    ...error.details,
    fix: `${error.fix ?? ''} Until then the person has both roles in the course; remove the old one in the LMS or retry.`.trim(),
  });
}

/** SMS course id of each operation that belongs to a course, by kind and key (built on the first error). */
function courseIndex(plan: UploadPlan, applied: AppliedState): Map<string, string> {
  const index = new Map<string, string>();
  const put = (kind: OpKind, key: string, course: string | undefined) => {
    if (course !== undefined) index.set(ApplyContext.doneKey(kind, key), course);
  };
  for (const kind of ['rekeyCourses', 'createCourses', 'updateCourses'] as const)
    for (const op of plan[kind]) put(kind, op.key, op.key);
  for (const kind of ['enrol', 'suspendEnrolments', 'addGroupMembers'] as const)
    for (const op of plan[kind]) put(kind, op.key, op.applied.course);
  for (const kind of ['unenrol', 'createGroups'] as const) for (const op of plan[kind]) put(kind, op.key, op.course);
  for (const op of plan.removeGroupMembers) put('removeGroupMembers', op.key, applied.memberships[op.key]?.course);
  return index;
}

const courseIndexes = new WeakMap<UploadPlan, Map<string, string>>();

function courseOf(input: ApplyInput, kind: OpKind, key: string): string | undefined {
  let index = courseIndexes.get(input.plan);
  if (!index) courseIndexes.set(input.plan, (index = courseIndex(input.plan, input.applied)));
  const smsCourse = index.get(ApplyContext.doneKey(kind, key));
  if (smsCourse === undefined) return undefined;
  return input.courseCodes?.get(smsCourse) ?? smsCourse;
}

function runError(input: ApplyInput, kind: OpKind, key: string, error: LmsError): NewRunError {
  const course = courseOf(input, kind, key);
  return {
    recordKind: RECORD_KIND[kind],
    recordKey: key,
    ...(course !== undefined ? { course } : {}),
    message: error.message,
    fix: error.fix ?? DEFAULT_FIX,
  };
}
