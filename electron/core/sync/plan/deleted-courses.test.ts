import { describe, expect, it } from 'vitest';
import type { LmsCourse } from '../../model';
import { enrolmentKey } from './applied-state';
import type { PlanInput } from './plan-input';
import { describePlan, preview } from './preview';
import { firstUpload, lmsCourse, mapping, planSchool, school } from '../../../test-support/plan-fixtures';

// A course deleted in the LMS (Deleted in course tracking) keeps naming the enrolments made in it, and
// gets no new ones (design: course tracking). The dry run says what is not sent because of it.

/** Plans the tiny school, varying only the rest of the input. */
const plan = (extra: Partial<PlanInput> = {}) => planSchool(school(), extra);

/** MATH101 (501) deleted in the LMS after the first upload made its enrolments. */
const mathsDeleted = (): LmsCourse[] => [lmsCourse(501, 'MATH101', 'Deleted'), lmsCourse(502, 'ENG101', 'Open')];

describe('a course deleted in the LMS', () => {
  it('is not a silent "Nothing to change": the preview names the enrolments of it that are not sent', () => {
    const applied = firstUpload();
    const p = plan({ applied, lmsCourses: mathsDeleted() });

    expect(p.counts.total).toBe(0);
    expect(p.skipped.deletedCourses).toEqual([
      { course: 'C-MATH', code: 'MATH101', lmsId: 501, enrolments: 3, groups: 1, kept: 3 },
    ]);
    expect(describePlan(p)).toBe(
      'Nothing to change. 3 enrolments and 1 class of MATH101 are not sent: the course was deleted in the LMS.',
    );
    expect(preview(p).skipped.deletedCourses).toHaveLength(1);
  });

  it('gets no new enrolment, class or member, while the other courses do', () => {
    const applied = firstUpload();
    const snapshot = school();
    snapshot.enrolments.push(
      { personSmsId: 'S3', courseSmsId: 'C-MATH', groupSmsIds: ['G-MATH-A'], role: 'student', active: true },
      { personSmsId: 'S2', courseSmsId: 'C-ENG', groupSmsIds: ['G-ENG-A'], role: 'student', active: true },
    );
    snapshot.groups.push({ smsId: 'G-MATH-B', courseSmsId: 'C-MATH', name: 'Maths B' });

    const p = plan({ snapshot, applied, lmsCourses: mathsDeleted() });

    expect(p.enrol.map((e) => e.key)).toEqual([enrolmentKey('S2', 'C-ENG')]);
    expect(p.createGroups).toEqual([]);
    expect(p.addGroupMembers.map((m) => m.applied.course)).toEqual(['C-ENG']);
    expect(p.createCourses).toEqual([]);
    expect(p.updateCourses).toEqual([]);
    expect(p.skipped.deletedCourses).toEqual([
      { course: 'C-MATH', code: 'MATH101', lmsId: 501, enrolments: 4, groups: 2, kept: 3 },
    ]);
    expect(describePlan(p)).toBe(
      'Will create 1 enrolment; add 1 group member. 4 enrolments and 2 classes of MATH101 are not sent: the course was deleted in the LMS.',
    );
  });

  it('is not re-created even when course creation is allowed', () => {
    const applied = firstUpload();
    const p = plan({
      applied,
      lmsCourses: mathsDeleted(),
      mapping: mapping({ newCourseCategoryId: 2 }),
      options: { allowCourseCreation: true },
    });
    expect(p.createCourses).toEqual([]);
    expect(p.counts.total).toBe(0);
  });

  it('gets no unenrolment or suspension when the SMS drops its enrolments, under any removal policy', () => {
    const applied = firstUpload();
    const snapshot = school();
    snapshot.enrolments = snapshot.enrolments.filter((e) => e.courseSmsId !== 'C-MATH');
    for (const removalPolicy of ['suspend', 'unenrol', 'keep'] as const) {
      const p = plan({ snapshot, applied, lmsCourses: mathsDeleted(), mapping: mapping({ removalPolicy }) });
      expect(p.unenrol).toEqual([]);
      expect(p.suspendEnrolments).toEqual([]);
      expect(p.removeGroupMembers).toEqual([]);
      expect(p.counts.total).toBe(0);
      // The old enrolments stay on record; only the class the SMS still has is reported as not sent.
      expect(p.skipped.deletedCourses).toEqual([
        { course: 'C-MATH', code: 'MATH101', lmsId: 501, enrolments: 0, groups: 1, kept: 3 },
      ]);
      expect(describePlan(p)).toBe(
        'Nothing to change. 1 class of MATH101 is not sent: the course was deleted in the LMS.',
      );
    }
  });

  it('a course that is New or Closed is not reported as deleted', () => {
    for (const state of ['New', 'Closed'] as const) {
      const p = plan({ lmsCourses: [lmsCourse(501, 'MATH101', state), lmsCourse(502, 'ENG101', 'Open')] });
      expect(p.skipped.deletedCourses).toEqual([]);
    }
  });

  it('a course matched for the first time and already Deleted is reported too (no enrolment was ever made)', () => {
    const p = plan({ lmsCourses: mathsDeleted() });
    expect(p.skipped.deletedCourses).toEqual([
      { course: 'C-MATH', code: 'MATH101', lmsId: 501, enrolments: 3, groups: 1, kept: 0 },
    ]);
  });

  it('many deleted courses: the first three by name, then the rest in one sentence', () => {
    const snapshot = school();
    const lmsCourses: LmsCourse[] = [lmsCourse(502, 'ENG101', 'Open')];
    for (let i = 0; i < 5; i++) {
      const code = `ART${i}`;
      snapshot.courses.push({ smsId: `C-ART${i}`, code, name: `Art ${i}` });
      snapshot.enrolments.push({ personSmsId: 'S1', courseSmsId: `C-ART${i}`, role: 'student', active: true });
      lmsCourses.push(lmsCourse(700 + i, code, 'Deleted'));
    }
    const p = plan({ snapshot, lmsCourses: [...lmsCourses, lmsCourse(501, 'MATH101', 'Deleted')] });
    expect(p.skipped.deletedCourses.map((d) => d.code)).toEqual(['MATH101', 'ART0', 'ART1', 'ART2', 'ART3', 'ART4']);
    expect(describePlan(p)).toMatch(
      /3 enrolments and 1 class of MATH101 are not sent: the course was deleted in the LMS\. 1 enrolment of ART0 is not sent: the course was deleted in the LMS\. 1 enrolment of ART1 is not sent: the course was deleted in the LMS\. 3 enrolments of 3 more courses are not sent: those courses were deleted in the LMS\.$/,
    );
  });
});
