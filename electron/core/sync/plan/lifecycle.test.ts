import { describe, expect, it } from 'vitest';
import { LifecycleSchema, LmsConnectionSchema, RolloverPauseSchema, type LmsCourse, type Snapshot } from '../../model';
import { countActive, emptyAppliedState, type AppliedState } from './applied-state';
import { activeRolloverPause, endedCourseChanges, withoutRemovals } from './lifecycle';
import { planUpload } from './plan-upload';
import { assessRemovals } from './safety';
import { CONNECTION, generatedSchool, mapping, simulateApply } from '../../../test-support/plan-fixtures';

const NZ = 'Pacific/Auckland';
const pause = (p: unknown) => RolloverPauseSchema.parse(p);

describe('activeRolloverPause (explicit windows)', () => {
  const windows = pause({ windows: [{ from: '2026-12-19', until: '2027-02-01' }] });

  it('is on from 00:00 of `from` to 00:00 of `until` in the school time zone, and off at that midnight', () => {
    // 2027-01-31T10:59:59Z is 23:59:59 on 31 January in Auckland (NZDT, UTC+13).
    expect(activeRolloverPause(windows, [], NZ, new Date('2027-01-31T10:59:59Z'))).toEqual({
      source: 'dates',
      from: '2026-12-19',
      until: '2027-02-01',
      label: 'rollover pause until 2027-02-01',
    });
    // Midnight in Auckland, though still 31 January in UTC: the pause is over.
    expect(activeRolloverPause(windows, [], NZ, new Date('2027-01-31T11:00:00Z'))).toBeNull();
    // The first paused moment is Auckland's midnight on 19 December (18 December 11:00 UTC).
    expect(activeRolloverPause(windows, [], NZ, new Date('2026-12-18T10:59:59Z'))).toBeNull();
    expect(activeRolloverPause(windows, [], NZ, new Date('2026-12-18T11:00:00Z'))?.from).toBe('2026-12-19');
  });

  it('reads the same instant differently in UTC', () => {
    expect(activeRolloverPause(windows, [], 'UTC', new Date('2027-01-31T11:00:00Z'))?.until).toBe('2027-02-01');
  });

  it('is off without settings', () => {
    expect(activeRolloverPause(undefined, [], NZ, new Date('2027-01-10T00:00:00Z'))).toBeNull();
  });
});

describe('activeRolloverPause (between terms, from the SMS course dates)', () => {
  const between = pause({ betweenTerms: { daysBeforeNext: 7 } });
  const year2026 = [
    { startDate: '2026-02-02', endDate: '2026-12-11' },
    { startDate: '2026-02-02', endDate: '2026-12-18' },
  ];
  const year2027 = [{ startDate: '2027-02-01', endDate: '2027-12-10' }];
  const at = (iso: string) => new Date(iso);

  it('is off while any dated course runs (the last day of term included)', () => {
    expect(activeRolloverPause(between, [...year2026, ...year2027], NZ, at('2026-12-18T10:00:00Z'))).toBeNull();
    expect(activeRolloverPause(between, [...year2026, ...year2027], NZ, at('2026-06-01T00:00:00Z'))).toBeNull();
  });

  it('runs from the day after the last course ends until N days before the next starts', () => {
    const courses = [...year2026, ...year2027];
    // 19 December 00:00 in Auckland.
    expect(activeRolloverPause(between, courses, NZ, at('2026-12-18T11:00:00Z'))).toEqual({
      source: 'between-terms',
      from: '2026-12-19',
      until: '2027-01-25',
      label: 'rollover pause until 2027-01-25 (7 days before the next SMS courses start on 2027-02-01)',
    });
    expect(activeRolloverPause(between, courses, NZ, at('2027-01-24T10:59:59Z'))?.until).toBe('2027-01-25');
    // 25 January 00:00 in Auckland: removals flow again, a week before day one.
    expect(activeRolloverPause(between, courses, NZ, at('2027-01-24T11:00:00Z'))).toBeNull();
  });

  it('stays on, open-ended, until the next courses are in the export; and from their dates once only they are', () => {
    expect(activeRolloverPause(between, year2026, NZ, at('2027-01-05T00:00:00Z'))).toMatchObject({
      from: '2026-12-19',
      until: null,
      label:
        "rollover pause since 2026-12-19 (the last SMS course ended 2026-12-18), until the next courses' start dates are in the SMS export",
    });
    // The SMS rolled over: last year's courses are gone from the export, next year's are there.
    expect(activeRolloverPause(between, year2027, NZ, at('2027-01-05T00:00:00Z'))).toMatchObject({
      from: null,
      until: '2027-01-25',
    });
  });

  it('is never on with no dated course (the snapshot has no terms: set explicit windows)', () => {
    expect(activeRolloverPause(between, [{}, {}], NZ, at('2027-01-05T00:00:00Z'))).toBeNull();
  });

  it('is off when the gap is shorter than N days', () => {
    const shortGap = [{ startDate: '2026-02-02', endDate: '2026-04-10' }, { startDate: '2026-04-15' }];
    expect(activeRolloverPause(between, shortGap, NZ, at('2026-04-11T00:00:00Z'))).toBeNull();
  });
});

describe('the lifecycle settings', () => {
  const lms = (lifecycle: unknown) =>
    LmsConnectionSchema.safeParse({
      id: 'm',
      kind: 'lms',
      provider: 'moodle',
      name: 'M',
      url: 'https://m.example.org',
      mapping: { lifecycle },
    });

  it('refuse a window whose end is before its start, naming the field', () => {
    const result = lms({ rolloverPause: { windows: [{ from: '2027-02-01', until: '2027-01-10' }] } });
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.path).toEqual(['mapping', 'lifecycle', 'rolloverPause', 'windows', 0, 'until']);
    expect(issue?.message).toBe(
      'The pause ends (until 2027-01-10) before it starts (from 2027-02-01): "until" must be a later day than "from".',
    );
  });

  it('refuse a day that does not exist and an unknown ended-course choice', () => {
    expect(
      lms({ rolloverPause: { windows: [{ from: '2027-02-30', until: '2027-03-01' }] } }).error?.issues[0],
    ).toMatchObject({
      path: ['mapping', 'lifecycle', 'rolloverPause', 'windows', 0, 'from'],
      message: 'This day does not exist in the calendar',
    });
    expect(lms({ endedCourses: 'delete' }).success).toBe(false);
  });

  it('are off when absent, and fill their defaults when given', () => {
    const none = lms(undefined);
    expect(none.success && none.data.mapping.lifecycle).toBeUndefined();
    const some = lms({ endedCourses: 'close' });
    expect(some.success && some.data.mapping.lifecycle).toEqual({ endedCourses: 'close', closeAfterDays: 0 });
  });
});

describe('the safety rail in a rollover pause', () => {
  const { snapshot: full, lmsCourses } = generatedSchool(400, 20, 3);
  const planFor = (snapshot: Snapshot, applied: AppliedState) =>
    planUpload({ connectionId: CONNECTION, snapshot, mapping: mapping(), lmsCourses, applied });
  const applied = simulateApply(emptyAppliedState(), planFor(full, emptyAppliedState()));
  /** Two students leave: far below every limit. */
  const leavers = full.people.filter((p) => p.role === 'student').slice(0, 2);
  const left: Snapshot = {
    ...full,
    people: full.people.filter((p) => !leavers.includes(p)),
    enrolments: full.enrolments.filter((e) => !leavers.some((p) => p.smsId === e.personSmsId)),
  };
  const windowPause = activeRolloverPause(
    pause({ windows: [{ from: '2026-12-19', until: '2027-02-01' }] }),
    [],
    NZ,
    new Date('2027-01-10T00:00:00Z'),
  );

  it('holds a removal inside the window even below the percentage limits, naming the window', () => {
    const plan = planFor(left, applied);
    expect(plan.suspendUsers).toHaveLength(2);
    const outside = assessRemovals(plan, countActive(applied), undefined, { applied, courses: full.courses });
    expect(outside.held).toBe(false);

    const inside = assessRemovals(
      plan,
      countActive(applied),
      undefined,
      { applied, courses: full.courses },
      windowPause,
    );
    expect(inside).toMatchObject({ held: true, pauseOnly: true, pause: { until: '2027-02-01' } });
    expect(inside.message).toBe(
      'Removals held: rollover pause until 2027-02-01 — this upload would suspend 2 people; during the pause every removal waits for your approval, whatever its size (creations and updates still go through). Review and approve it, or fix the SMS export.',
    );
  });

  it('does not hold an upload with no removals, but still says the pause is on', () => {
    const plan = planFor(full, applied);
    const verdict = assessRemovals(plan, countActive(applied), undefined, undefined, windowPause);
    expect(verdict).toMatchObject({ held: false, message: null, pause: { label: 'rollover pause until 2027-02-01' } });
  });

  it('outside the window the normal rule applies (a truncated export is held for its size, not the pause)', () => {
    const half: Snapshot = { ...full, people: full.people.slice(0, 200) };
    const plan = planFor(
      { ...half, enrolments: full.enrolments.filter((e) => half.people.some((p) => p.smsId === e.personSmsId)) },
      applied,
    );
    const verdict = assessRemovals(plan, countActive(applied));
    expect(verdict.held).toBe(true);
    expect(verdict.pauseOnly).toBeUndefined();
    expect(verdict.message).not.toContain('rollover');
  });

  it('withoutRemovals keeps the creations and updates and drops only the removals', () => {
    const newcomer = {
      ...leavers[0]!,
      smsId: 'NEW1',
      username: 'new1',
      email: 'new1@school.example',
      givenName: 'New',
      familyName: 'Comer',
    };
    const plan = planFor({ ...left, people: [...left.people, newcomer] }, applied);
    const rest = withoutRemovals(plan);
    expect(rest.createUsers.map((op) => op.key)).toEqual(['NEW1']);
    expect(rest.suspendUsers).toEqual([]);
    expect(rest.suspendEnrolments).toEqual([]);
    expect(rest.counts.total).toBe(plan.counts.total - plan.suspendUsers.length - plan.suspendEnrolments.length);
  });
});

describe('endedCourseChanges', () => {
  const course = (lmsId: number, idnumber: string, extra: Partial<LmsCourse> = {}): LmsCourse => ({
    connectionId: CONNECTION,
    lmsId,
    shortname: idnumber,
    fullname: idnumber,
    idnumber,
    state: 'Open',
    firstSeen: '2026-01-01T00:00:00.000Z',
    lastSeen: '2026-01-01T00:00:00.000Z',
    ...extra,
  });
  const applied = emptyAppliedState();
  applied.courses.C1 = {
    origin: 'created',
    fullname: 'Science',
    shortname: '10SCI',
    idnumber: '10SCI',
    startDate: 0,
    endDate: 0,
  };
  applied.links.courses.C1 = 11;
  const smsCourses = [
    { smsId: 'C1', code: '10SCI', endDate: '2026-11-30' },
    { smsId: 'C2', code: '10ENG', endDate: '2026-11-30' },
    { smsId: 'C3', code: '10MAT', endDate: '2026-12-18' },
  ];
  /** `null`: no lifecycle settings at all. */
  const changes = (lmsCourses: LmsCourse[], now: string, lifecycle: unknown = { endedCourses: 'close-and-hide' }) =>
    endedCourseChanges({
      lifecycle: lifecycle === null ? undefined : LifecycleSchema.parse(lifecycle),
      courseMatch: 'idnumber',
      lmsCourses,
      courses: smsCourses,
      applied,
      timeZone: NZ,
      now: new Date(now),
    });
  const tracked = [course(11, '10SCI'), course(12, '10ENG', { state: 'New' }), course(13, '10MAT')];

  it('closes a course once its SMS end date has passed in the school time zone; hides only one ClassBridge created', () => {
    // 23:59 on 30 November in Auckland: still the last day.
    expect(changes(tracked, '2026-11-30T10:59:00Z').close).toEqual([]);
    const { close } = changes(tracked, '2026-11-30T11:00:00Z');
    expect(close).toEqual([
      {
        lmsId: 11,
        smsCourse: 'C1',
        code: '10SCI',
        endDate: '2026-11-30',
        hide: true,
        reason: 'Its SMS end date 2026-11-30 has passed.',
      },
      { lmsId: 12, smsCourse: 'C2', code: '10ENG', endDate: '2026-11-30', hide: false, reason: expect.any(String) },
    ]);
  });

  it("keeps an admin's Open made after the course was due to close, but not one made before", () => {
    const reopened = [course(11, '10SCI', { stateChangedBy: 'admin', stateChangedAt: '2026-12-02T00:00:00.000Z' })];
    expect(changes(reopened, '2026-12-05T00:00:00Z').close).toEqual([]);
    const openedAtTermStart = [
      course(11, '10SCI', { stateChangedBy: 'admin', stateChangedAt: '2026-02-01T00:00:00.000Z' }),
    ];
    expect(changes(openedAtTermStart, '2026-12-05T00:00:00Z').close.map((c) => c.lmsId)).toEqual([11]);
  });

  it('waits closeAfterDays, leaves Closed and Deleted courses alone, and does nothing when off', () => {
    expect(changes(tracked, '2026-12-05T00:00:00Z', { endedCourses: 'close', closeAfterDays: 7 }).close).toEqual([]);
    const late = changes(tracked, '2026-12-08T00:00:00Z', { endedCourses: 'close', closeAfterDays: 7 }).close;
    expect(late.map((c) => [c.lmsId, c.hide, c.reason])).toEqual([
      [11, false, 'Its SMS end date 2026-11-30 has passed (closed 7 days after, as set).'],
      [12, false, 'Its SMS end date 2026-11-30 has passed (closed 7 days after, as set).'],
    ]);
    const gone = [course(11, '10SCI', { state: 'Closed' }), course(12, '10ENG', { state: 'Deleted' })];
    expect(changes(gone, '2027-01-05T00:00:00Z').close.map((c) => c.lmsId)).toEqual([]);
    expect(changes(tracked, '2027-01-05T00:00:00Z', null).close).toEqual([]);
  });

  it('shows again a course ClassBridge hid that an admin opened, whatever the setting', () => {
    const hidden = [course(11, '10SCI', { hiddenInLmsAt: '2026-12-01T00:00:00.000Z' })];
    expect(changes(hidden, '2026-12-05T00:00:00Z', null).show.map((c) => c.lmsId)).toEqual([11]);
  });
});
