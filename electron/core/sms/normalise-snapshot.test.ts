import { describe, expect, it } from 'vitest';
import { SmsImportError, type SmsSnapshot } from '../../../adapters/contract';
import { mergeEnrolmentRows, normaliseSnapshot, toReaderSnapshot } from './normalise-snapshot';

// What the intake makes of a reader's rows before the store sees them.
const school = (): SmsSnapshot => ({
  people: [
    { smsId: '1', role: 'student', givenName: 'Aroha', familyName: 'Ngata', active: true },
    { smsId: '2', role: 'student', givenName: 'Mere', familyName: 'Tane', active: true },
    { smsId: 'ABC', role: 'staff', givenName: 'Ana', familyName: 'Brown', active: true },
  ],
  courses: [{ smsId: '10ENG', code: '10ENG', name: 'English' }],
  groups: [
    { smsId: '10ENG-1', courseSmsId: '10ENG', name: '10ENG-1' },
    { smsId: '10ENG-2', courseSmsId: '10ENG', name: '10ENG-2' },
  ],
  enrolments: [
    { personSmsId: '1', courseSmsId: '10ENG', groupSmsId: '10ENG-1', role: 'student', active: true },
    { personSmsId: '2', courseSmsId: '10ENG', groupSmsId: '10ENG-2', role: 'student', active: true },
    { personSmsId: 'ABC', courseSmsId: '10ENG', groupSmsId: '10ENG-1', role: 'teacher', active: true },
    { personSmsId: 'ABC', courseSmsId: '10ENG', groupSmsId: '10ENG-2', role: 'teacher', active: true },
  ],
});

function problemsOf(snapshot: SmsSnapshot): string[] {
  try {
    normaliseSnapshot(snapshot);
  } catch (err) {
    if (err instanceof SmsImportError) return err.problems.map((p) => p.message);
    throw err;
  }
  return [];
}

describe('normalising a reader snapshot', () => {
  it('makes a teacher of two classes of one course one enrolment with both classes as groups', () => {
    const snapshot = normaliseSnapshot(school());
    expect(snapshot.enrolments).toHaveLength(3);
    expect(snapshot.enrolments.find((e) => e.personSmsId === 'ABC')).toEqual({
      personSmsId: 'ABC',
      courseSmsId: '10ENG',
      role: 'teacher',
      groupSmsIds: ['10ENG-1', '10ENG-2'],
      active: true,
    });
    expect(snapshot.enrolments.find((e) => e.personSmsId === '1')?.groupSmsIds).toEqual(['10ENG-1']);
  });

  it('merges by the active rows: a student who moved class keeps only the new class, with its dates', () => {
    const merged = mergeEnrolmentRows([
      { personSmsId: '1', courseSmsId: 'C', groupSmsId: 'A', role: 'student', active: false, startDate: '2026-01-01' },
      { personSmsId: '1', courseSmsId: 'C', groupSmsId: 'B', role: 'student', active: true, startDate: '2026-03-01' },
      {
        personSmsId: '1',
        courseSmsId: 'C',
        groupSmsId: 'D',
        role: 'student',
        active: true,
        startDate: '2026-02-01',
        endDate: '2026-12-01',
      },
    ]);
    expect(merged).toEqual([
      {
        personSmsId: '1',
        courseSmsId: 'C',
        role: 'student',
        groupSmsIds: ['B', 'D'],
        active: true,
        startDate: '2026-02-01',
      },
    ]);
  });

  it('keeps a student and a teacher role in one course apart (one enrolment per person, course and role)', () => {
    const merged = mergeEnrolmentRows([
      { personSmsId: '1', courseSmsId: 'C', role: 'teacher', active: true },
      { personSmsId: '1', courseSmsId: 'C', role: 'student', active: true },
    ]);
    expect(merged.map((e) => e.role)).toEqual(['student', 'teacher']);
  });

  it('reports every broken reference and duplicate id at once, instead of a raw database error', () => {
    const s = school();
    s.people.push({ smsId: '1', role: 'student', givenName: 'Twin', familyName: 'Ngata', active: true });
    s.groups.push({ smsId: '9ENG-1', courseSmsId: '9ENG', name: '9ENG-1' });
    s.enrolments.push({ personSmsId: '77', courseSmsId: '10ENG', role: 'student', active: true });
    s.enrolments.push({ personSmsId: '2', courseSmsId: '10ENG', groupSmsId: 'ghost', role: 'student', active: true });
    expect(problemsOf(s)).toEqual([
      'person 1 appears twice',
      'class 9ENG-1 belongs to course 9ENG, which is not in the export',
      'enrolment of 77 in 10ENG: person 77 is not in the export',
      'enrolment of 2 in 10ENG: class ghost is not in the export',
    ]);
  });

  it('refuses a NUL or other control character in a name, naming the person and field', () => {
    const s = school();
    s.people[1]!.familyName = 'Ta\u0000ne';
    s.courses[0]!.name = 'Eng\u0007lish';
    expect(problemsOf(s)).toEqual([
      'person 2 has a control character (U+0000) in familyName',
      'course 10ENG has a control character (U+0007) in name',
    ]);
  });

  it('reports a record that breaks the schema by its id and field', () => {
    const s = school();
    (s.people[0] as { givenName: unknown }).givenName = 42;
    const [problem] = (() => {
      try {
        normaliseSnapshot(s);
      } catch (err) {
        return (err as SmsImportError).problems;
      }
      return [];
    })();
    expect(problem?.message).toMatch(/^person 1: /);
    expect(problem?.where.field).toBe('givenName');
  });

  it('gives a reader back one row per class, which normalises to the same snapshot', () => {
    const snapshot = normaliseSnapshot(school());
    const rows = toReaderSnapshot(snapshot);
    expect(rows.enrolments).toHaveLength(4);
    expect(normaliseSnapshot(structuredClone(rows))).toEqual(snapshot);
  });
});
