import { describe, expect, it } from 'vitest';
import { emptyAppliedState } from './applied-state';
import { planUpload } from './plan-upload';
import { previewRecords } from './preview-records';
import { lmsCourse, mapping, openCourses, planInput, school, simulateApply } from '../../../test-support/plan-fixtures';

describe('previewRecords (the dry run table of records)', () => {
  it('on a first upload: people, enrolments and classes to create, a course not in the LMS skipped and why', () => {
    // ENG101 is not in the LMS and ClassBridge may not create courses: its enrolments and class are skipped.
    const input = planInput({ lmsCourses: [lmsCourse(501, 'MATH101', 'Open')] });
    const plan = planUpload(input);
    const records = previewRecords({ plan, snapshot: input.snapshot, applied: input.applied }, 10);

    expect(records.people.map((r) => [r.name, r.status])).toEqual([
      ['Aroha Ngata (S1)', 'create'],
      ['Ben Lee (S2)', 'create'],
      ['Chloé Martin (S3)', 'create'],
      ['Dana Wu (T1)', 'create'],
    ]);
    expect(records.people[0]!.detail).toBe('username angata, email aroha@school.nz');
    expect(records.people[0]!.account).toEqual({ username: 'angata', idnumber: 'S1', email: 'aroha@school.nz' });
    expect(records.courses).toContainEqual(
      expect.objectContaining({
        key: 'C-ENG',
        name: 'ENG101 English',
        status: 'skip',
        detail: expect.stringMatching(/^course not in the LMS/),
      }),
    );
    const eng = records.enrolments.filter((r) => r.name.endsWith('in ENG101'));
    expect(eng.length).toBeGreaterThan(0);
    expect(eng.every((r) => r.status === 'skip' && r.detail.startsWith('course not in the LMS'))).toBe(true);
    expect(records.enrolments).toContainEqual(
      expect.objectContaining({ name: 'Aroha Ngata (S1) in MATH101', status: 'create', detail: 'as student' }),
    );
    expect(records.classes).toContainEqual(expect.objectContaining({ name: 'Maths A (MATH101)', status: 'create' }));
    expect(records.classes).toContainEqual(
      expect.objectContaining({
        key: 'G-ENG-A',
        status: 'skip',
        detail: expect.stringMatching(/^course not in the LMS/),
      }),
    );
  });

  it('an update shows the field diff; a person gone is suspended; a left-alone person is skipped', () => {
    const base = planInput({ lmsCourses: openCourses(), mapping: mapping({ removalPolicy: 'suspend' }) });
    const applied = simulateApply(emptyAppliedState(), planUpload(base));
    const snapshot = school();
    snapshot.people[0]!.email = 'aroha.ngata@school.nz';
    snapshot.people = snapshot.people.filter((p) => p.smsId !== 'S3');
    const leaveAlone = { people: new Set(['S2']), courses: new Set<string>() };
    snapshot.people[1]!.familyName = 'Leigh'; // S2, left alone: not updated
    const plan = planUpload({ ...base, snapshot, applied, leaveAlone });
    const records = previewRecords({ plan, snapshot, applied, leaveAlone }, 10);

    const aroha = records.people.find((r) => r.key === 'S1')!;
    expect(aroha.status).toBe('update');
    expect(aroha.detail).toBe('email: aroha@school.nz → aroha.ngata@school.nz');
    expect(aroha.changes).toEqual([{ field: 'email', from: 'aroha@school.nz', to: 'aroha.ngata@school.nz' }]);
    expect(records.people.find((r) => r.key === 'S3')).toMatchObject({ status: 'suspend', name: 'Chloé Martin (S3)' });
    expect(records.people.find((r) => r.key === 'S2')).toMatchObject({
      status: 'skip',
      detail: 'left alone, as you asked',
    });
    expect(records.enrolments.filter((r) => r.name.startsWith('Chloé Martin')).map((r) => r.status)).not.toContain(
      'create',
    );
  });

  it('costs rows by n, not by the school: each status the plan has shows among the first rows', () => {
    const input = planInput({ lmsCourses: [lmsCourse(501, 'MATH101', 'Open')] });
    const plan = planUpload(input);
    const records = previewRecords({ plan, snapshot: input.snapshot, applied: input.applied }, 2);
    for (const rows of Object.values(records)) expect(rows.length).toBeLessThanOrEqual(2);
    // Interleaved: the first enrolment rows are one create and one skip, not two creates.
    expect(records.enrolments.map((r) => r.status)).toEqual(['create', 'skip']);
  });
});
