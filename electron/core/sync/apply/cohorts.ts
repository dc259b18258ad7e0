import {
  LmsError,
  type BatchResult,
  type LmsAdapter,
  type LmsCohortMember,
  type LmsCohortRecord,
  type NewLmsCohort,
} from '../../../../adapters/contract';
import { CohortStateRepository } from '../../store/repositories/cohort-state-repository';
import type { Store } from '../../store/store';
import type { AddCohortMemberOp, CreateCohortOp, RemoveCohortMemberOp, UploadPlan } from '../plan';
import type { ApplyContext } from './context';

/**
 * Applies the cohort operations (plan/cohorts.ts). What is special about them:
 * - creates list the site's cohorts first (one request) and take a cohort with the same idnumber as made
 *   (an apply that stopped after Moodle made it, or another connection to the same site): never a
 *   duplicate, and Moodle's duplicate-idnumber refusal is never met;
 * - each batch's outcome goes into lms_cohorts / lms_cohort_members as the batch returns (the journal), so
 *   a crash resumes with nothing made twice (an add sent again is "already exists", which is success);
 * - a token that may not manage cohorts (function not in the service, moodle/cohort:manage or :assign
 *   missing) fails the cohort writes with that fix and nothing else: the rest of the upload goes on.
 */

type CohortKind = 'createCohorts' | 'addCohortMembers' | 'removeCohortMembers';

interface CohortRun {
  repo: CohortStateRepository;
  connectionId: string;
  /** Cohort key → LMS id: as made before, then as made or found in this apply. */
  ids: Map<string, number>;
}

const runs = new WeakMap<ApplyContext, CohortRun>();

function runOf(ctx: ApplyContext, store: Store, connectionId: string): CohortRun {
  let run = runs.get(ctx);
  if (!run) {
    const repo = new CohortStateRepository(store.db);
    const ids = new Map([...repo.read(connectionId).cohorts].map(([k, c]) => [k, c.lmsId]));
    runs.set(ctx, (run = { repo, connectionId, ids }));
  }
  return run;
}

/** A refusal of the token as a whole (not of one record): the cohort writes stop, the upload does not. */
function isTokenRefusal(err: unknown): err is LmsError {
  return err instanceof LmsError && (err.kind === 'access' || err.kind === 'no-permission');
}

type CohortAdapter = Required<
  Pick<LmsAdapter, 'listCohorts' | 'createCohorts' | 'addCohortMembers' | 'removeCohortMembers'>
>;

function cohortAdapter(a: LmsAdapter): CohortAdapter | undefined {
  if (!a.listCohorts || !a.createCohorts || !a.addCohortMembers || !a.removeCohortMembers) return undefined;
  return {
    listCohorts: a.listCohorts.bind(a),
    createCohorts: a.createCohorts.bind(a),
    addCohortMembers: a.addCohortMembers.bind(a),
    removeCohortMembers: a.removeCohortMembers.bind(a),
  };
}

export async function applyCohortKind(
  ctx: ApplyContext,
  plan: UploadPlan,
  kind: CohortKind,
  store: Store,
  connectionId: string,
): Promise<void> {
  const ops: readonly { key: string }[] = plan[kind];
  const run = runOf(ctx, store, connectionId);
  const a = cohortAdapter(ctx.adapter);
  if (!a) {
    for (const op of ops) ctx.skip(kind, op.key, 'not-supported', 'this LMS adapter cannot manage cohorts');
    ctx.notes.push('Cohorts were not made: this LMS connection cannot manage cohorts.');
    return;
  }
  const answered = new Set<string>();
  try {
    if (kind === 'createCohorts') await createCohorts(ctx, plan.createCohorts, a, run, answered);
    else if (kind === 'addCohortMembers') await addMembers(ctx, plan.addCohortMembers, a, run, answered);
    else await removeMembers(ctx, plan.removeCohortMembers, a, run, answered);
  } catch (err) {
    if (!isTokenRefusal(err)) throw err;
    // Each kind finds its own refusal (a token may add members to existing cohorts yet not make new
    // ones); members of a cohort that could not be made are skipped without a request (no LMS id).
    refuse(
      ctx,
      kind,
      ops.filter((op) => !answered.has(op.key)),
      err,
    );
  }
}

/**
 * One run error with the fix (on the first record), the others not sent: a school's worth of identical
 * errors would bury it. The note says it once for the run.
 */
function refuse(ctx: ApplyContext, kind: CohortKind, ops: readonly { key: string }[], err: LmsError) {
  const [head, ...rest] = ops;
  if (!head) return;
  ctx.failAll(kind, [{ key: head.key, error: err }]);
  for (const op of rest)
    ctx.skip(kind, op.key, 'not-supported', 'cohorts are refused for this token (see the cohort error)');
  ctx.notes.push(`Cohorts were not updated: ${err.message} ${err.fix ?? ''}`.trim());
}

async function createCohorts(
  ctx: ApplyContext,
  ops: readonly CreateCohortOp[],
  a: CohortAdapter,
  run: CohortRun,
  answered: Set<string>,
): Promise<void> {
  const existing = new Map((await a.listCohorts()).map((c) => [c.idnumber, c]));
  const found = ops.filter((op) => existing.has(op.record.idnumber));
  if (found.length > 0) {
    // Made before (an apply that stopped, or another connection): recorded, nothing sent.
    await ctx.send(
      'createCohorts',
      found.map((op) => ({ op, record: op.record })),
      async (): Promise<BatchResult<LmsCohortRecord>> => {
        const records = found.map((op) => existing.get(op.record.idnumber)!);
        run.repo.recordCohorts(
          run.connectionId,
          records.map((c) => ({ key: c.idnumber, lmsId: c.id, name: c.name })),
        );
        for (const c of records) run.ids.set(c.idnumber, c.id);
        for (const op of found) answered.add(op.key);
        return { outcomes: records.map((value) => ({ ok: true as const, value })), notes: [] };
      },
    );
    ctx.linked += found.length;
  }
  const rest = ops.filter((op) => !existing.has(op.record.idnumber));
  await ctx.pipelined(rest, (batch) =>
    ctx.send(
      'createCohorts',
      batch.map((op) => ({ op, record: op.record })),
      async (records: NewLmsCohort[]) => {
        const result = await a.createCohorts(records);
        const made: { key: string; lmsId: number; name: string }[] = [];
        result.outcomes.forEach((o, i) => {
          const op = batch[i]!;
          answered.add(op.key);
          if (o.ok) made.push({ key: op.key, lmsId: o.value.id, name: o.value.name });
        });
        run.repo.recordCohorts(run.connectionId, made);
        for (const m of made) run.ids.set(m.key, m.lmsId);
        return result;
      },
    ),
  );
}

/** Resolves the users (placeholders) and the cohorts (by key) of a batch; unknown ones are skipped. */
function memberPairs<O extends AddCohortMemberOp | RemoveCohortMemberOp>(
  ctx: ApplyContext,
  kind: CohortKind,
  batch: readonly O[],
  run: CohortRun,
): { op: O; record: LmsCohortMember }[] {
  const out: { op: O; record: LmsCohortMember }[] = [];
  for (const { op, record } of ctx.resolveAll(kind, batch, (o) => o.record)) {
    const cohortId = run.ids.get(record.cohort);
    if (cohortId === undefined) {
      ctx.skip(
        kind,
        op.key,
        'missing-dependency',
        `not sent: cohort ${record.cohort} is not in the LMS (its create failed)`,
      );
      continue;
    }
    out.push({ op, record: { cohortId, userId: record.userId } });
  }
  return out;
}

async function addMembers(
  ctx: ApplyContext,
  ops: readonly AddCohortMemberOp[],
  a: CohortAdapter,
  run: CohortRun,
  answered: Set<string>,
): Promise<void> {
  await ctx.pipelined(ops, async (batch) => {
    const pairs = memberPairs(ctx, 'addCohortMembers', batch, run);
    await ctx.send('addCohortMembers', pairs, async (records) => {
      const result = await a.addCohortMembers(records);
      const added: { cohort: string; person: string }[] = [];
      result.outcomes.forEach((o, i) => {
        const op = pairs[i]!.op;
        answered.add(op.key);
        if (o.ok) added.push(op.applied);
        // The cohort was deleted in the LMS: forgotten, so the next upload makes it again.
        else if (/^.*cohort id=\d+ not exists$/.test(o.error.message))
          run.repo.forgetCohort(run.connectionId, op.applied.cohort);
      });
      run.repo.addMembers(run.connectionId, added);
      return result;
    });
  });
}

async function removeMembers(
  ctx: ApplyContext,
  ops: readonly RemoveCohortMemberOp[],
  a: CohortAdapter,
  run: CohortRun,
  answered: Set<string>,
): Promise<void> {
  await ctx.pipelined(ops, async (batch) => {
    const pairs = memberPairs(ctx, 'removeCohortMembers', batch, run);
    await ctx.send('removeCohortMembers', pairs, async (records) => {
      const result = await a.removeCohortMembers(records);
      // A cohort or user gone from the LMS holds no membership either: what was asked is true.
      const outcomes = result.outcomes.map((o) =>
        !o.ok && o.error.kind === 'not-found' ? { ok: true as const, value: null } : o,
      );
      const removed: { cohort: string; person: string }[] = [];
      outcomes.forEach((o, i) => {
        const op = pairs[i]!.op;
        answered.add(op.key);
        if (o.ok) removed.push(op.applied);
      });
      run.repo.removeMembers(run.connectionId, removed);
      return { ...result, outcomes };
    });
  });
}
