import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SmsResultRecord } from '../../../../../adapters/contract';
import type { ResultOutcomes } from '../../../../../adapters/descriptor';
import { toGradeItem } from '../../../../../adapters/lms/moodle/records';
import { DEFAULT_OUTCOME_RULE, decideOutcome, outcomeFor } from '../../../../../adapters/sms/avetmiss/outcome-rule';
import { useTempDirs } from '../../../../test-support/temp';
import { ConnectionSchema, type ResultsDelivery, type Snapshot } from '../../../model';
import { openStore, type Store } from '../../../store/store';
import { computeCourseResult } from '../compute-course-result';
import { deliverReviewedResults } from './deliver-reviewed';

// The real store (SQLite in a temp folder); the writer is a recorder with the AVETMISS outcome rule
// (pass mark 50: 20 competent, 30 not yet competent, 70 continuing).
const tempDir = useTempDirs();
const CONNECTION = 'moodle';
const COURSE = 7;
let store: Store;
let clock: Date;
let written: SmsResultRecord[][];

const outcomes: ResultOutcomes = {
  passPercent: 50,
  outcomeFor: (record) => outcomeFor(record, { ...DEFAULT_OUTCOME_RULE, passPercent: 50 }),
  keeps: (current, proposed) => {
    const decision = decideOutcome(current, proposed);
    return decision.write ? null : decision.reason;
  },
};
const writer = (withOutcomes = true) => ({
  write: async (records: readonly SmsResultRecord[]) => void written.push([...records]),
  ...(withOutcomes ? { outcomes } : {}),
});
const deliver = (settings?: ResultsDelivery, withOutcomes = true) =>
  deliverReviewedResults(store, CONNECTION, writer(withOutcomes), { settings });
const AUTOMATIC: ResultsDelivery = { delivery: 'automatic', reviewMargin: 0 };
const tick = () => void (clock = new Date(clock.getTime() + 60_000));

function snapshot(outcomesBySmsId: Record<string, string> = {}): Snapshot {
  const people = ['P1', 'P2', 'P3'];
  return {
    people: people.map((smsId, i) => ({
      smsId,
      role: 'student' as const,
      givenName: ['Aroha', 'Ben', 'Chloe'][i]!,
      familyName: 'Ngata',
      active: true,
    })),
    courses: [{ smsId: 'BSBWHS211', code: 'BSBWHS211', name: 'Work health and safety' }],
    groups: [],
    enrolments: people.map((smsId) => ({
      personSmsId: smsId,
      courseSmsId: 'BSBWHS211',
      role: 'student',
      active: true,
      ...(outcomesBySmsId[smsId] ? { outcome: outcomesBySmsId[smsId] } : {}),
    })),
  };
}

/**
 * Stores a completed result whose course total is `raw` of 100, computed the way a download does from
 * Moodle's answer: the total shown with 2 decimals, rounded half up as PHP's round() does (Moodle's
 * gradeformatted is "50.00" for 49.995, where JavaScript's toFixed gives "49.99").
 */
function storeResult(personSmsId: string, raw: number): void {
  const shown = (value: number) => (Math.round(value * 100) / 100).toFixed(2);
  const item = (type: 'mod' | 'course', graderaw: number, id: number) =>
    toGradeItem({
      id,
      itemname: type === 'course' ? null : 'Assessment',
      itemtype: type,
      ...(type === 'mod' ? { itemmodule: 'assign', cmid: 100 + id } : {}),
      graderaw,
      gradeformatted: shown(graderaw),
      grademin: 0,
      grademax: 100,
      percentageformatted: `${shown(graderaw)} %`,
      gradeishidden: false,
    });
  const result = computeCourseResult({
    userId: 1,
    userIdnumber: personSmsId,
    fullname: personSmsId,
    items: [item('mod', raw, 1), item('course', raw, 2)],
  });
  store.results.upsert({ connectionId: CONNECTION, lmsCourseId: COURSE, personSmsId, ...result });
}

beforeEach(() => {
  clock = new Date('2026-11-23T09:00:00Z');
  written = [];
  store = openStore({ file: join(tempDir(), 'cb.db'), now: () => clock });
  store.connections.save(
    ConnectionSchema.parse({
      id: CONNECTION,
      kind: 'lms',
      provider: 'moodle',
      name: 'Moodle',
      url: 'https://lms.test',
    }),
  );
  store.lmsCourses.recordSeen(CONNECTION, [
    { lmsId: COURSE, shortname: 'WHS', fullname: 'Work health and safety', idnumber: 'BSBWHS211' },
  ]);
  store.snapshot.replace(snapshot(), 'test');
});
afterEach(() => store.close());

describe('exact outcomes: decided from the unrounded LMS value', () => {
  it('49.995 shows as 50.00 but is not competent against 50; exactly 50 and 50.004 are', async () => {
    storeResult('P1', 49.995);
    storeResult('P2', 50);
    storeResult('P3', 50.004);
    const stored = new Map(store.results.list().map((r) => [r.personSmsId, r]));
    // The LMS rounded it in its display, and so does the two-decimal figure kept for the SMS …
    expect(stored.get('P1')).toMatchObject({ grade: '50.00', gradePercent: 50, gradeExact: 49.995 });
    const summary = await deliver(AUTOMATIC);
    expect(summary.delivered).toBe(3);
    const byPerson = new Map(written[0]!.map((r) => [r.personSmsId, r]));
    // … but the outcome is decided from the value itself.
    expect(outcomes.outcomeFor(byPerson.get('P1')!)).toBe('30');
    expect(outcomes.outcomeFor(byPerson.get('P2')!)).toBe('20');
    expect(outcomes.outcomeFor(byPerson.get('P3')!)).toBe('20');
    expect(byPerson.get('P1')).toMatchObject({ gradePercent: 50, gradePercentExact: 49.995 });
  });

  it('queues completed results within the margin for a person, with the margin in words, and writes the rest', async () => {
    storeResult('P1', 49.995);
    storeResult('P2', 50.004);
    storeResult('P3', 72);
    const summary = await deliver({ delivery: 'automatic', reviewMargin: 0.5 });
    expect(summary.delivered).toBe(1);
    expect(written[0]!.map((r) => r.personSmsId)).toEqual(['P3']);
    expect(summary.waiting).toEqual({ review: 0, margin: 2, conflict: 0 });
    const queued = new Map(store.resultReviews.list({ connectionId: CONNECTION }).map((r) => [r.personSmsId, r]));
    expect(queued.get('P1')).toMatchObject({ reason: 'margin', state: 'pending', newValue: '30' });
    expect(queued.get('P1')!.detail).toMatchObject({ exactPercent: 49.995, passPercent: 50, marginPoints: -0.005 });
    expect(queued.get('P1')!.detail.why).toContain('49.995 % against 50 % (the LMS shows 50.00): 0.005 points below');
    expect(queued.get('P2')).toMatchObject({ reason: 'margin', newValue: '20' });
    expect(queued.get('P2')!.detail.why).toContain('0.004 points above');

    // An unchanged gradebook: nothing new is written, and the queue is read, not rewritten.
    const before = store.db.prepare('SELECT total_changes() AS n').get() as { n: number };
    const again = await deliver({ delivery: 'automatic', reviewMargin: 0.5 });
    const after = store.db.prepare('SELECT total_changes() AS n').get() as { n: number };
    expect(again).toMatchObject({ delivered: 0, waiting: { margin: 2 } });
    expect(after.n).toBe(before.n);
    expect(written).toHaveLength(1);

    // The admin accepts one: it is written on the next delivery, with the outcome shown.
    store.resultReviews.decide([{ connectionId: CONNECTION, lmsCourseId: COURSE, personSmsId: 'P1' }], 'accept');
    const third = await deliver({ delivery: 'automatic', reviewMargin: 0.5 });
    expect(third.delivered).toBe(1);
    expect(outcomes.outcomeFor(written[1]![0]!)).toBe('30');
    expect(store.resultReviews.list().map((r) => r.personSmsId)).toEqual(['P2']);
  });

  it('an outcome the SMS keeps (set in the SMS only, a final one not reopened) is not queued, and the review says so', async () => {
    store.snapshot.replace(snapshot({ P1: '51', P2: '20' }), 'nat');
    storeResult('P1', 49.995);
    store.results.upsert({
      connectionId: CONNECTION,
      lmsCourseId: COURSE,
      personSmsId: 'P2',
      progressPercent: 50,
      grade: null,
      gradePercent: null,
      activities: [],
    });
    const margin = await deliver({ delivery: 'automatic', reviewMargin: 0.5 });
    expect(margin).toMatchObject({ delivered: 2, waiting: { margin: 0 } });
    await deliver({ delivery: 'review', reviewMargin: 0.5 });
    storeResult('P1', 49.996);
    await deliver({ delivery: 'review', reviewMargin: 0.5 });
    const [review] = store.resultReviews.list();
    expect(review).toMatchObject({ personSmsId: 'P1', reason: 'review', smsValue: '51', newValue: '51' });
    expect(review!.detail.why).toContain('the SMS keeps 51: outcome 51 is set in the SMS only (C.3)');
  });

  it('a result not completed is continuing whatever its grade, and not queued for the margin', async () => {
    store.results.upsert({
      connectionId: CONNECTION,
      lmsCourseId: COURSE,
      personSmsId: 'P1',
      progressPercent: 50,
      grade: '49.90',
      gradePercent: 49.9,
      gradeExact: 49.9,
      activities: [],
    });
    const summary = await deliver({ delivery: 'automatic', reviewMargin: 0.5 });
    expect(summary.delivered).toBe(1);
    expect(outcomes.outcomeFor(written[0]![0]!)).toBe('70');
  });
});

describe("never overwrite a person's edit", () => {
  it("a trainer's SMS correction is a conflict, not overwritten, until the admin decides", async () => {
    // First delivery: the LMS says competent; the SMS had 70 (continuing).
    store.snapshot.replace(snapshot({ P1: '70' }), 'nat');
    storeResult('P1', 80);
    expect((await deliver(AUTOMATIC)).delivered).toBe(1);
    expect(outcomes.outcomeFor(written[0]![0]!)).toBe('20');

    // The SMS has not imported ClassBridge's file yet (it still says 70): not a person's edit.
    tick();
    storeResult('P1', 82);
    expect((await deliver(AUTOMATIC)).delivered).toBe(1);

    // A trainer corrects the outcome in the SMS to 30; the next export carries it.
    store.snapshot.replace(snapshot({ P1: '30' }), 'nat');
    // The teacher regrades in the LMS: the result changes, ClassBridge would write 20 again.
    tick();
    storeResult('P1', 85);
    const summary = await deliver(AUTOMATIC);
    expect(summary.delivered).toBe(0);
    expect(written).toHaveLength(2);
    expect(summary.waiting.conflict).toBe(1);
    expect(summary.conflicts).toHaveLength(1);
    const [conflict] = summary.conflicts;
    expect(conflict).toMatchObject({
      recordKind: 'result',
      recordKey: `${COURSE}:P1`,
      course: 'Work health and safety',
    });
    expect(conflict!.message).toContain('Aroha Ngata (P1) in Work health and safety (BSBWHS211)');
    expect(conflict!.message).toContain('the SMS has outcome 30, but ClassBridge last delivered 20');
    expect(conflict!.fix).toContain('Keep the SMS');
    // Still a conflict on the next run, still not written.
    expect((await deliver(AUTOMATIC)).conflicts).toHaveLength(1);
    expect(written).toHaveLength(2);

    // The admin keeps the SMS's value: recorded as delivered, nothing written, no conflict any more.
    const key = { connectionId: CONNECTION, lmsCourseId: COURSE, personSmsId: 'P1' };
    expect(store.resultReviews.decide([key], 'keep-sms')).toHaveLength(1);
    const kept = await deliver(AUTOMATIC);
    expect(kept).toMatchObject({ delivered: 0, kept: 1, conflicts: [] });
    expect(written).toHaveLength(2);
    expect(store.resultReviews.lastDelivery(key)).toMatchObject({ value: '30', smsValue: '30' });
    expect(await deliver(AUTOMATIC)).toMatchObject({ delivered: 0, kept: 0, conflicts: [] });
  });

  it('accepting the LMS value writes it over the correction', async () => {
    store.snapshot.replace(snapshot({ P1: '70' }), 'nat');
    storeResult('P1', 80);
    await deliver(AUTOMATIC);
    store.snapshot.replace(snapshot({ P1: '30' }), 'nat');
    storeResult('P1', 85);
    expect((await deliver(AUTOMATIC)).conflicts).toHaveLength(1);
    store.resultReviews.decide([{ connectionId: CONNECTION, lmsCourseId: COURSE, personSmsId: 'P1' }], 'accept');
    const summary = await deliver(AUTOMATIC);
    expect(summary).toMatchObject({ delivered: 1, conflicts: [] });
    expect(outcomes.outcomeFor(written[1]![0]!)).toBe('20');
  });

  it('no conflict when the SMS took what ClassBridge delivered, or the LMS now agrees with the SMS', async () => {
    store.snapshot.replace(snapshot({ P1: '70', P2: '70' }), 'nat');
    storeResult('P1', 80);
    storeResult('P2', 80);
    await deliver(AUTOMATIC);
    // P1: the SMS imported ClassBridge's 20. P2: a trainer set 30, and the LMS now says 30 too.
    store.snapshot.replace(snapshot({ P1: '20', P2: '30' }), 'nat');
    storeResult('P1', 90);
    storeResult('P2', 40);
    const summary = await deliver(AUTOMATIC);
    expect(summary).toMatchObject({ delivered: 2, conflicts: [] });
  });
});

describe('review before write', () => {
  it('keeps every changed result pending until accepted, with what the SMS has and why', async () => {
    store.snapshot.replace(snapshot({ P1: '70', P2: '70', P3: '70' }), 'nat');
    storeResult('P1', 80);
    storeResult('P2', 30);
    storeResult('P3', 65);
    const review: ResultsDelivery = { delivery: 'review', reviewMargin: 0.5 };
    const summary = await deliver(review);
    expect(summary).toMatchObject({ delivered: 0, waiting: { review: 3, margin: 0, conflict: 0 } });
    expect(written).toHaveLength(0);
    const rows = store.resultReviews.list({ connectionId: CONNECTION, reasons: ['review'] });
    expect(rows.map((r) => [r.personSmsId, r.smsValue, r.newValue])).toEqual([
      ['P1', '70', '20'],
      ['P2', '70', '30'],
      ['P3', '70', '20'],
    ]);
    expect(rows[1]!.detail.why).toContain('30 % against 50 %');

    const key = (personSmsId: string) => ({ connectionId: CONNECTION, lmsCourseId: COURSE, personSmsId });
    store.resultReviews.decide([key('P1'), key('P3')], 'accept');
    store.resultReviews.decide([key('P2')], 'hold');
    const next = await deliver(review);
    expect(next).toMatchObject({ delivered: 2, waiting: { review: 1 } });
    expect(written[0]!.map((r) => r.personSmsId)).toEqual(['P1', 'P3']);
    expect(store.resultReviews.list().map((r) => [r.personSmsId, r.state])).toEqual([['P2', 'held']]);

    // A held result that changes in the LMS is reviewed afresh.
    storeResult('P2', 35);
    await deliver(review);
    expect(store.resultReviews.list().map((r) => [r.personSmsId, r.state])).toEqual([['P2', 'pending']]);
  });

  it('without an outcome rule (results.csv), the review shows the grade as the new value', async () => {
    storeResult('P1', 80);
    await deliver({ delivery: 'review', reviewMargin: 0.5 }, false);
    expect(store.resultReviews.list()).toMatchObject([{ personSmsId: 'P1', newValue: '80.00', smsValue: null }]);
    expect(store.resultReviews.list()[0]!.detail.why).toBe('completed, grade 80 % (the LMS shows 80.00)');
  });
});
