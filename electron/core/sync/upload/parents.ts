import type { Mapping, Snapshot } from '../../model';
import type { Store } from '../../store/store';
import { parentExamples, withParents, type AppliedState, type LeaveAloneMarks, type UploadPlan } from '../plan';

/**
 * The parents rule joined to an upload plan, for the run (apply/run-upload.ts) and the dry run
 * (preview-upload.ts) alike, with this connection's applied parents (store.parents). A retry of one
 * record (`only`) gets only that guardian's writes and errors, and none for anyone else.
 */
export function planWithParents(
  store: Store,
  input: {
    connectionId: string;
    mapping: Mapping;
    snapshot: Snapshot;
    applied: AppliedState;
    leaveAlone: LeaveAloneMarks | undefined;
  },
  plan: UploadPlan,
  only?: { recordKind: string; recordKey: string },
): UploadPlan {
  if (!input.mapping.parents?.enabled) return plan;
  if (only && (only.recordKind !== 'person' || !input.snapshot.guardians?.some((g) => g.smsId === only.recordKey)))
    return plan;
  const joined = withParents(plan, {
    snapshot: input.snapshot,
    mapping: input.mapping,
    applied: input.applied,
    parents: store.parents.applied(input.connectionId),
    ...(input.leaveAlone ? { leaveAlone: input.leaveAlone } : {}),
  });
  return only ? onlyGuardian(joined, plan, only.recordKey) : joined;
}

/** One guardian's account, roles and planning errors, on top of the (already cut down) plan. */
function onlyGuardian(joined: UploadPlan, before: UploadPlan, guardian: string): UploadPlan {
  const ops = joined.parents;
  if (!ops) return joined;
  const errors = [
    ...before.errors,
    ...joined.errors.slice(before.errors.length).filter((e) => e.recordKey === guardian),
  ];
  return {
    ...joined,
    parents: {
      ...ops,
      createParentUsers: ops.createParentUsers.filter((op) => op.key === guardian),
      updateParentUsers: ops.updateParentUsers.filter((op) => op.key === guardian),
      assignParentRoles: ops.assignParentRoles.filter((op) => op.guardian === guardian),
      unassignParentRoles: ops.unassignParentRoles.filter((op) => op.guardian === guardian),
    },
    errors,
    counts: { ...joined.counts, errors: errors.length },
  };
}

/** The dry run's view of the rule: counts per kind, a sentence, and the first guardians. */
export function parentsPreview(
  store: Store,
  connectionId: string,
  plan: UploadPlan,
  snapshot: Snapshot,
  samples: number,
):
  | {
      counts: Record<string, number>;
      sentence: string;
      parents: NonNullable<ReturnType<typeof parentExamples>>;
    }
  | undefined {
  const ops = plan.parents;
  if (!ops) return undefined;
  const counts = {
    createParentUsers: ops.createParentUsers.length,
    updateParentUsers: ops.updateParentUsers.length,
    assignParentRoles: ops.assignParentRoles.length,
    unassignParentRoles: ops.unassignParentRoles.length,
  };
  const parts: string[] = [];
  if (counts.createParentUsers > 0) parts.push(`create ${counts.createParentUsers} parent account(s)`);
  if (counts.updateParentUsers > 0) parts.push(`update ${counts.updateParentUsers} parent account(s)`);
  if (counts.assignParentRoles > 0) parts.push(`link ${counts.assignParentRoles} parent(s) to a child`);
  if (counts.unassignParentRoles > 0) parts.push(`remove ${counts.unassignParentRoles} parent link(s)`);
  const sentence = parts.length > 0 ? `Parents: ${parts.join(', ')}.` : 'Parents: no change.';
  const parents = parentExamples(plan, snapshot, store.parents.applied(connectionId), samples) ?? [];
  return { counts, sentence, parents };
}
