import { createHash } from 'node:crypto';
import type { HeldPlan } from '../../model';
import type { UploadPlan } from './operations';

const MAX_SAMPLES = 50;

/**
 * Identifies exactly which removals a plan makes: the same SMS data gives the same fingerprint, so
 * an approval applies to the removals the admin reviewed and to nothing else.
 */
export function removalFingerprint(plan: UploadPlan): string {
  return createHash('sha256').update(removalKeys(plan).join('\n')).digest('hex');
}

/** Every removal the plan makes, sorted: `u:` suspend user, `s:` suspend enrolment, `e:` unenrol. */
export function removalKeys(plan: UploadPlan): string[] {
  return [
    ...plan.suspendUsers.map((op) => `u:${op.key}`),
    ...plan.suspendEnrolments.map((op) => `s:${op.key}`),
    ...plan.unenrol.map((op) => `e:${op.key}`),
  ].sort();
}

/** What the admin reviews: removals per kind and the first ones by name. */
export function heldPlanDetails(plan: UploadPlan): HeldPlan['details'] {
  const samples: HeldPlan['details']['samples'] = [];
  for (const op of plan.suspendUsers) {
    if (samples.length >= MAX_SAMPLES) break;
    const p = op.applied;
    samples.push({ kind: 'suspend-user', key: op.key, label: `${p.firstname} ${p.lastname} (${p.username})` });
  }
  for (const op of plan.unenrol) {
    if (samples.length >= MAX_SAMPLES) break;
    samples.push({ kind: 'unenrol', key: op.key, label: `${op.person} from ${op.course}` });
  }
  for (const op of plan.suspendEnrolments) {
    if (samples.length >= MAX_SAMPLES) break;
    samples.push({ kind: 'suspend-enrolment', key: op.key, label: `${op.applied.person} in ${op.applied.course}` });
  }
  return {
    counts: {
      suspendUsers: plan.suspendUsers.length,
      suspendEnrolments: plan.suspendEnrolments.length,
      unenrol: plan.unenrol.length,
    },
    samples,
  };
}
