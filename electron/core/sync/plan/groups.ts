import type { Course, Group } from '../../model';
import { enrolmentKey, type AppliedState } from './applied-state';
import type { CoursesPlan } from './courses';
import type { EnrolmentsPlan } from './enrolments';
import {
  emptySkipCounts,
  type AddGroupMemberOp,
  type CreateGroupOp,
  type GroupIdRef,
  type PlanningError,
  type RemoveGroupMemberOp,
  type SkipCounts,
} from './operations';
import { keepSkipExample, type SkipExample } from './skip-examples';

export interface GroupsPlan {
  createGroups: CreateGroupOp[];
  addGroupMembers: AddGroupMemberOp[];
  removeGroupMembers: RemoveGroupMemberOp[];
  errors: PlanningError[];
  skipped: SkipCounts;
  /** Groups not created because their course was deleted in the LMS, per SMS course key. */
  deletedCourseSkips: Map<string, number>;
  /** The first classes skipped and why (the dry run's records table). */
  skipExamples: SkipExample[];
}

/**
 * Plans groups (classes) in Open courses and who is in them. Groups are only created: the LMS contract
 * has no rename or delete, and an emptied group does no harm. A membership the SMS drops is removed only
 * while the enrolment stays; when the enrolment itself goes, unenrolling takes the membership with it.
 */
export function planGroups(
  groups: readonly Group[],
  courses: readonly Course[],
  coursePlan: CoursesPlan,
  enrolments: EnrolmentsPlan,
  applied: AppliedState,
): GroupsPlan {
  const plan: GroupsPlan = {
    createGroups: [],
    addGroupMembers: [],
    removeGroupMembers: [],
    errors: [],
    skipped: emptySkipCounts(),
    deletedCourseSkips: new Map(),
    skipExamples: [],
  };
  const codes = new Map(courses.map((c) => [c.smsId, c.code]));
  const groupRefs = new Map<string, { ref: GroupIdRef; course: string }>();
  for (const g of groups) {
    const target = coursePlan.target(g.courseSmsId);
    if (!target.open) {
      plan.skipped[target.reason] += 1;
      keepSkipExample(plan.skipExamples, { kind: 'class', key: g.smsId, course: g.courseSmsId, reason: target.reason });
      if (target.reason === 'course-deleted')
        plan.deletedCourseSkips.set(g.courseSmsId, (plan.deletedCourseSkips.get(g.courseSmsId) ?? 0) + 1);
      continue;
    }
    groupRefs.set(g.smsId, { ref: applied.links.groups[g.smsId] ?? { smsGroupId: g.smsId }, course: g.courseSmsId });
    if (applied.groups[g.smsId]) continue;
    const name = g.name.trim() || g.smsId;
    plan.createGroups.push({
      key: g.smsId,
      course: g.courseSmsId,
      record: { courseId: target.ref, name, idnumber: g.smsId },
      applied: { course: g.courseSmsId, name, idnumber: g.smsId },
    });
  }

  const wanted = new Set<string>();
  for (const m of enrolments.memberships) {
    const group = groupRefs.get(m.group);
    if (!group) continue; // a group of a course that is not Open, or one the snapshot does not have
    if (group.course !== m.course) {
      plan.errors.push({
        recordKind: 'enrolment',
        recordKey: enrolmentKey(m.person, m.course),
        course: codes.get(m.course),
        field: 'group',
        message: `${m.person}'s enrolment in ${codes.get(m.course) ?? m.course} names class ${m.group}, which belongs to ${codes.get(group.course) ?? group.course}.`,
        fix: 'Correct the class of this enrolment in the SMS.',
      });
      continue;
    }
    const key = m.key;
    wanted.add(key);
    if (applied.memberships[key]) continue;
    plan.addGroupMembers.push({
      key,
      record: { groupId: group.ref, userId: m.userRef },
      applied: { group: m.group, person: m.person, course: m.course },
    });
  }

  for (const key in applied.memberships) {
    const before = applied.memberships[key]!;
    if (wanted.has(key) || !enrolments.wanted.has(enrolmentKey(before.person, before.course))) continue;
    plan.removeGroupMembers.push({
      key,
      record: {
        groupId: applied.links.groups[before.group] ?? { smsGroupId: before.group },
        userId: applied.links.people[before.person] ?? { smsPersonId: before.person },
      },
      applied: undefined,
    });
  }
  return plan;
}
