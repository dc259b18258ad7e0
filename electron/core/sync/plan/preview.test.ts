import { describe, expect, it } from 'vitest';
import { emptyAppliedState } from './applied-state';
import { planUpload } from './plan-upload';
import { describePlan, preview } from './preview';
import {
  CONNECTION,
  generatedSchool,
  mapping,
  openCourses,
  school,
  simulateApply,
} from '../../../test-support/plan-fixtures';

describe('preview (dry run)', () => {
  it('summarises a first upload with counts in words', () => {
    const { snapshot, lmsCourses } = generatedSchool(812, 43, 4);
    const missing = lmsCourses.slice(3); // three courses are not in the LMS yet
    const plan = planUpload({
      connectionId: CONNECTION,
      snapshot,
      mapping: mapping({ newCourseCategoryId: 2 }),
      lmsCourses: missing,
      applied: emptyAppliedState(),
      options: { allowCourseCreation: true },
    });
    expect(describePlan(plan)).toBe(
      'Will create 812 users, 3 courses, 43 groups, 3,248 enrolments; add 3,248 group members.',
    );
  });

  it('shows the first n records of each kind with their SMS keys', () => {
    const plan = planUpload({
      connectionId: CONNECTION,
      snapshot: school(),
      mapping: mapping(),
      lmsCourses: openCourses(),
      applied: emptyAppliedState(),
    });
    const view = preview(plan, 2);
    expect(view.counts).toMatchObject({ createUsers: 4, enrol: 6, total: 16 });
    expect(Object.keys(view.samples)).toEqual(['createUsers', 'enrol', 'createGroups', 'addGroupMembers']);
    expect(view.samples.createUsers?.map((s) => s.key)).toEqual(['S1', 'S2']);
    expect(view.samples.createUsers?.[0]?.record.username).toBe('angata');
    expect(view.samples.enrol).toHaveLength(2);
    expect(preview(plan).samples.enrol).toHaveLength(3);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });

  it('says when there is nothing to do, and mentions planning errors', () => {
    const input = { connectionId: CONNECTION, mapping: mapping(), lmsCourses: openCourses() };
    const applied = simulateApply(
      emptyAppliedState(),
      planUpload({ ...input, snapshot: school(), applied: emptyAppliedState() }),
    );
    expect(preview(planUpload({ ...input, snapshot: school(), applied })).summary).toBe('Nothing to change.');
    const s = school();
    s.people[0]!.username = 'Aroha Ngata';
    s.people[1]!.familyName = 'Leigh';
    s.people = s.people.filter((p) => p.smsId !== 'S3');
    expect(preview(planUpload({ ...input, snapshot: s, applied })).summary).toBe(
      'Will update 1 user; suspend 1 user. 1 record cannot be synced until fixed.',
    );
  });
});
