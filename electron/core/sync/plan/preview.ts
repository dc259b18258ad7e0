import {
  OP_KINDS,
  type OpKind,
  type PlanCounts,
  type PlanningError,
  type PlanOperations,
  type UploadPlan,
} from './operations';

export type PlanSamples = { [K in OpKind]?: Pick<PlanOperations[K][number], 'key' | 'record'>[] };

/** What a dry run shows: counts, one sentence, and the first records of each kind. */
export interface PlanPreview {
  connectionId: string;
  counts: PlanCounts;
  /** e.g. "Will create 812 users, 43 courses, 3,210 enrolments; suspend 2 users." */
  summary: string;
  /** The first `n` operations of each kind that has any. */
  samples: PlanSamples;
  errors: PlanningError[];
  skipped: UploadPlan['skipped'];
}

const number = new Intl.NumberFormat('en');

function amount(n: number, one: string, many: string): string {
  return `${number.format(n)} ${n === 1 ? one : many}`;
}

/** One sentence for the admin (and the CLI), by verb: "Will create 812 users, 43 courses, 3,210 enrolments". */
export function describePlan(plan: UploadPlan): string {
  const enrolBy = (reason: 'new' | 'changed' | 'reactivated') => plan.enrol.filter((e) => e.reason === reason).length;
  const verbs: [string, [number, string, string][]][] = [
    [
      'create',
      [
        [plan.createUsers.length, 'user', 'users'],
        [plan.createCourses.length, 'course', 'courses'],
        [plan.createGroups.length, 'group', 'groups'],
        [enrolBy('new'), 'enrolment', 'enrolments'],
      ],
    ],
    [
      'update',
      [
        [plan.updateUsers.length, 'user', 'users'],
        [plan.updateCourses.length, 'course', 'courses'],
        [enrolBy('changed'), 'enrolment', 'enrolments'],
      ],
    ],
    [
      'reactivate',
      [
        [plan.reactivateUsers.length, 'user', 'users'],
        [enrolBy('reactivated'), 'enrolment', 'enrolments'],
      ],
    ],
    ['add', [[plan.addGroupMembers.length, 'group member', 'group members']]],
    [
      'suspend',
      [
        [plan.suspendUsers.length, 'user', 'users'],
        [plan.suspendEnrolments.length, 'enrolment', 'enrolments'],
      ],
    ],
    [
      'remove',
      [
        [plan.unenrol.length, 'enrolment', 'enrolments'],
        [plan.removeGroupMembers.length, 'group member', 'group members'],
      ],
    ],
  ];
  const phrases = verbs
    .map(([verb, items]) => {
      const parts = items.filter(([n]) => n > 0).map(([n, one, many]) => amount(n, one, many));
      return parts.length > 0 ? `${verb} ${parts.join(', ')}` : '';
    })
    .filter(Boolean);
  const main = phrases.length > 0 ? `Will ${phrases.join('; ')}.` : 'Nothing to change.';
  const errors = plan.errors.length;
  return errors > 0 ? `${main} ${amount(errors, 'record', 'records')} cannot be synced until fixed.` : main;
}

/** The dry-run view of a plan: counts, summary and the first `n` records of each kind. */
export function preview(plan: UploadPlan, n = 3): PlanPreview {
  const samples: PlanSamples = {};
  for (const kind of OP_KINDS) {
    const ops = plan[kind];
    if (ops.length === 0) continue;
    (samples as Record<OpKind, unknown>)[kind] = ops.slice(0, n).map((op) => ({ key: op.key, record: op.record }));
  }
  return {
    connectionId: plan.connectionId,
    counts: plan.counts,
    summary: describePlan(plan),
    samples,
    errors: plan.errors.slice(0, n),
    skipped: plan.skipped,
  };
}
