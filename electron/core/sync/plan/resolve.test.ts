import { describe, expect, it } from 'vitest';
import type { LmsEnrolment } from '../../../../adapters/contract';
import { emptyAppliedState } from './applied-state';
import type { PlannedEnrolment } from './operations';
import { lookupFromLinks, resolveRecord } from './resolve';

describe('resolveRecord', () => {
  const links = { ...emptyAppliedState().links, people: { S1: 11 }, courses: { C1: 21 } };

  it('replaces placeholders with LMS ids, learnt ids first', () => {
    const planned: PlannedEnrolment = {
      userId: { smsPersonId: 'S2' },
      courseId: { smsCourseId: 'C1' },
      roleShortname: 'student',
      timeStart: 0,
      timeEnd: 0,
      suspended: false,
    };
    const lookup = lookupFromLinks(links, { people: new Map([['S2', 12]]) });
    const result = resolveRecord(planned, lookup);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const record: LmsEnrolment = result.record; // the adapter's own type
    expect(record).toEqual({
      userId: 12,
      courseId: 21,
      roleShortname: 'student',
      timeStart: 0,
      timeEnd: 0,
      suspended: false,
    });
  });

  it('keeps known ids and reports placeholders it cannot resolve', () => {
    const result = resolveRecord({ groupId: { smsGroupId: 'G9' }, userId: 11 }, lookupFromLinks(links));
    expect(result).toEqual({ ok: false, missing: [{ smsGroupId: 'G9' }] });
  });
});
