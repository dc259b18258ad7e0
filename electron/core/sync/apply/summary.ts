import { OP_KINDS, type AppliedState, type OpKind, type UploadPlan } from '../plan';
import { ApplyContext } from './context';
import type { ApplyReport, KindCounts } from './types';

const REMOVALS: readonly OpKind[] = [
  'suspendUsers',
  'suspendEnrolments',
  'unenrol',
  'removeGroupMembers',
  'removeCohortMembers',
];
const UPDATES: readonly OpKind[] = ['rekeyPeople', 'rekeyCourses', 'updateUsers', 'reactivateUsers', 'updateCourses'];
const CREATES: readonly OpKind[] = [
  'createUsers',
  'createCourses',
  'createGroups',
  'addGroupMembers',
  'createCohorts',
  'addCohortMembers',
];

/** Records already applied that no operation of the plan touches. */
export function countUnchanged(plan: UploadPlan, applied: AppliedState): number {
  const touched = (kinds: readonly OpKind[]) => new Set(kinds.flatMap((k) => plan[k].map((op) => op.key)));
  const untouched = (keys: Iterable<string>, kinds: readonly OpKind[]) => {
    const t = touched(kinds);
    let n = 0;
    for (const key of keys) if (!t.has(key)) n += 1;
    return n;
  };
  return (
    untouched(Object.keys(applied.people), ['updateUsers', 'reactivateUsers', 'suspendUsers', 'createUsers']) -
    plan.rekeyPeople.length + // their old keys: re-keyed, so not unchanged
    untouched(Object.keys(applied.courses), ['updateCourses', 'createCourses']) -
    plan.rekeyCourses.length +
    untouched(Object.keys(applied.groups), ['createGroups']) +
    untouched(Object.keys(applied.enrolments), ['enrol', 'suspendEnrolments', 'unenrol']) +
    untouched(Object.keys(applied.memberships), ['addGroupMembers', 'removeGroupMembers'])
  );
}

/** The apply report from the context's bookkeeping. */
export function summarise(
  ctx: ApplyContext,
  plan: UploadPlan,
  applied: AppliedState,
  state: () => AppliedState,
): ApplyReport {
  const kinds = Object.fromEntries(
    OP_KINDS.map((k): [OpKind, KindCounts] => [k, { sent: 0, ok: 0, failed: 0, skipped: 0, ...ctx.counts.get(k) }]),
  ) as Record<OpKind, KindCounts>;
  const ok = (list: readonly OpKind[]) => list.reduce((n, k) => n + kinds[k].ok, 0);
  // An enrolment that is new is a create; one whose role, dates or suspension changed is an update.
  let enrolCreated = 0;
  for (const op of plan.enrol) {
    if (op.reason === 'new' && ctx.done.has(ApplyContext.doneKey('enrol', op.key))) enrolCreated += 1;
  }
  const total = (field: keyof KindCounts) => OP_KINDS.reduce((n, k) => n + kinds[k][field], 0);
  return {
    kinds,
    created: ok(CREATES) - ctx.linked + enrolCreated,
    linked: ctx.linked,
    updated: ok(UPDATES) + kinds.enrol.ok - enrolCreated,
    removed: ok(REMOVALS),
    unchanged: countUnchanged(plan, applied),
    failed: total('failed'),
    skipped: total('skipped'),
    notes: [...new Set(ctx.notes)],
    skippedOps: ctx.skippedOps,
    // Built on first read only: a full copy of a large state is not worth making for nobody.
    get state() {
      const value = state();
      Object.defineProperty(this, 'state', { value, enumerable: true });
      return value;
    },
  };
}
