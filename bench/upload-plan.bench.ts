/**
 * The upload planner on a large school (20,000 students, 800 courses, 100,000 enrolments), pure CPU:
 * first plan, recording the applied state, an unchanged re-plan, a one-field change, a truncated export
 * with the safety rail, and storing/reading the applied state as JSON. Prints a table; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { MappingSchema, type LmsCourse, type Snapshot } from '../electron/core/model';
import {
  AppliedStateSchema,
  applyPlanToState,
  assessRemovals,
  countActive,
  emptyAppliedState,
  planUpload,
  preview,
  type AppliedState,
  type UploadPlan,
} from '../electron/core/sync/plan';
import { makeSnapshot } from '../electron/test-support/synthetic-snapshot';

const MB = 1024 * 1024;
const snapshot = makeSnapshot(20_000, 800, 5);
const mapping = MappingSchema.parse({ usernameFrom: 'email' });
const lmsCourses: LmsCourse[] = snapshot.courses.map((c, i) => ({
  connectionId: 'bench',
  lmsId: 1000 + i,
  shortname: c.code,
  fullname: c.name,
  idnumber: c.code,
  state: 'Open',
  firstSeen: '2026-01-01T00:00:00.000Z',
  lastSeen: '2026-01-01T00:00:00.000Z',
}));

const rows: Record<string, string | number>[] = [];
function measure<T>(step: string, run: () => T, describe: (result: T) => string): T {
  const t0 = performance.now();
  const result = run();
  const ms = performance.now() - t0;
  rows.push({
    step,
    ms: Math.round(ms),
    result: describe(result),
    'RSS MB': Math.round(process.memoryUsage().rss / MB),
  });
  return result;
}

const plan = (s: Snapshot, applied: AppliedState) =>
  planUpload({
    connectionId: 'bench',
    snapshot: s,
    mapping,
    lmsCourses,
    applied,
    options: { timeZone: 'Pacific/Auckland' },
  });
const ops = (p: UploadPlan) => `${p.counts.total.toLocaleString('en')} operations, ${p.errors.length} errors`;

/** Ids the apply step would learn for everything the plan creates. */
function learnt(p: UploadPlan) {
  let id = 100_000;
  return {
    people: new Map(p.createUsers.map((op) => [op.key, id++])),
    groups: new Map(p.createGroups.map((op) => [op.key, id++])),
  };
}

console.log(
  `snapshot: ${snapshot.people.length} people, ${snapshot.courses.length} courses, ${snapshot.enrolments.length} enrolments`,
);
const first = measure('first plan', () => plan(snapshot, emptyAppliedState()), ops);
measure(
  'preview',
  () => preview(first),
  (v) => v.summary,
);
const applied = measure(
  'applyPlanToState',
  () => applyPlanToState(emptyAppliedState(), first, learnt(first)),
  (s) => `${Object.keys(s.enrolments).length.toLocaleString('en')} enrolments recorded`,
);
measure('unchanged re-plan', () => plan(snapshot, applied), ops);
const changed: Snapshot = {
  ...snapshot,
  people: snapshot.people.map((p, i) => (i === 42 ? { ...p, familyName: 'Changed' } : p)),
};
measure('one changed field', () => plan(changed, applied), ops);
const kept = new Set(snapshot.people.slice(0, 10_000).map((p) => p.smsId));
const truncated: Snapshot = {
  ...snapshot,
  people: snapshot.people.filter((p) => kept.has(p.smsId)),
  enrolments: snapshot.enrolments.filter((e) => kept.has(e.personSmsId)),
};
const halfPlan = measure('truncated export (half)', () => plan(truncated, applied), ops);
measure(
  'assessRemovals',
  () => assessRemovals(halfPlan, countActive(applied)),
  (a) => (a.held ? 'held' : 'not held'),
);
const json = measure(
  'state → JSON',
  () => JSON.stringify(applied),
  (s) => `${(s.length / MB).toFixed(1)} MB`,
);
measure(
  'JSON → state (zod)',
  () => AppliedStateSchema.parse(JSON.parse(json)),
  () => 'valid',
);
console.table(rows);
