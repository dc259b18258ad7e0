import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startMoodleSim, type MoodleSim } from './index';
import { callSim } from './test-support';

/**
 * Hidden grades in gradereport_user_get_grade_items, as a real Moodle 5.1 answers (reference §3.4, §10):
 * a viewhidden token gets the real totals with hidden marks in them; other callers get what
 * grade_report_user_showtotalsifcontainhidden says, and hidden-until dates hide only until then.
 */
interface Row {
  id: number;
  itemtype: string;
  graderaw: number | null;
  grademax: number;
  gradeformatted: string;
  gradeishidden: boolean;
}
interface Report {
  usergrades: { userid: number; gradeitems: Row[] }[];
}

const MATH = 2;
const COURSE_TOTAL = 1;
const ALGEBRA = 2;
const FINAL_EXAM = 5;
/** s1001 has the hidden final exam's 42 of 50; s1002 has no mark in it. */
const WITH_HIDDEN_MARK = 7;
const WITHOUT_HIDDEN_MARK = 8;
const DAY = 86_400;

let sim: MoodleSim;
beforeEach(async () => {
  sim = await startMoodleSim();
});
afterEach(async () => {
  await sim.close();
});

const report = async (userid = 0): Promise<Report> =>
  (await callSim(sim, 'gradereport_user_get_grade_items', { courseid: MATH, userid })) as Report;
const rowsOf = (r: Report, userid: number): Row[] => r.usergrades.find((u) => u.userid === userid)?.gradeitems ?? [];
const row = (r: Report, userid: number, itemid: number): Row | undefined =>
  rowsOf(r, userid).find((i) => i.id === itemid);
const now = () => Math.floor(Date.now() / 1000);

describe('hidden grades for a token with moodle/grade:viewhidden', () => {
  test('hidden items come flagged, and the course total is the real one with the hidden mark in it', async () => {
    const r = await report();
    expect(row(r, WITH_HIDDEN_MARK, FINAL_EXAM)).toMatchObject({ graderaw: 42, gradeishidden: true });
    expect(row(r, WITH_HIDDEN_MARK, COURSE_TOTAL)).toMatchObject({ graderaw: 126, grademax: 190 });
    expect(row(r, WITH_HIDDEN_MARK, ALGEBRA)?.gradeishidden).toBe(false);
  });

  test('"hidden until" hides an item or one grade until that time, and no longer after it', async () => {
    const algebra = sim.state.gradeItems.get(ALGEBRA);
    if (!algebra) throw new Error('seed changed: no Algebra homework');
    algebra.hiddenuntil = now() + 30 * DAY;
    const grade = sim.state.grades.find((g) => g.itemid === 3 && g.userid === WITHOUT_HIDDEN_MARK);
    if (!grade) throw new Error('seed changed: s1002 has no Geometry mark');
    grade.hiddenuntil = now() + DAY;
    let r = await report();
    expect(row(r, WITHOUT_HIDDEN_MARK, ALGEBRA)?.gradeishidden).toBe(true);
    expect(row(r, WITHOUT_HIDDEN_MARK, 3)?.gradeishidden).toBe(true);
    // Only s1002's Geometry grade is hidden, not the item.
    expect(row(r, WITH_HIDDEN_MARK, 3)?.gradeishidden).toBe(false);

    algebra.hiddenuntil = now() - DAY;
    grade.hiddenuntil = now() - 60;
    r = await report();
    expect(row(r, WITHOUT_HIDDEN_MARK, ALGEBRA)?.gradeishidden).toBe(false);
    expect(row(r, WITHOUT_HIDDEN_MARK, 3)?.gradeishidden).toBe(false);
  });
});

describe('hidden grades for a token without moodle/grade:viewhidden', () => {
  beforeEach(() => sim.revokeCapability(sim.token, 'moodle/grade:viewhidden'));

  test('default setting (0): hidden items are left out and a total a hidden mark counts in is blanked', async () => {
    expect(sim.state.site.showTotalsIfContainHidden).toBeUndefined();
    const r = await report();
    expect(row(r, WITH_HIDDEN_MARK, FINAL_EXAM)).toBeUndefined();
    expect(row(r, WITH_HIDDEN_MARK, COURSE_TOTAL)).toMatchObject({ graderaw: null, gradeformatted: '-' });
    // No hidden mark counts in s1002's total: 69 + 12 + 6 + 7 of 100 + 20 + 10 + 10.
    expect(row(r, WITHOUT_HIDDEN_MARK, COURSE_TOTAL)).toMatchObject({ graderaw: 94, grademax: 140 });
  });

  test('setting 1 recomputes the total without hidden items; setting 2 shows the real total', async () => {
    sim.state.site.showTotalsIfContainHidden = 1;
    let r = await report();
    expect(row(r, WITH_HIDDEN_MARK, COURSE_TOTAL)).toMatchObject({ graderaw: 84, grademax: 140 });

    sim.state.site.showTotalsIfContainHidden = 2;
    r = await report();
    expect(row(r, WITH_HIDDEN_MARK, FINAL_EXAM)).toBeUndefined();
    expect(row(r, WITH_HIDDEN_MARK, COURSE_TOTAL)).toMatchObject({ graderaw: 126, grademax: 190 });
  });

  test('a grade hidden until a date ahead is hidden like a hidden one, then counts when the date has passed', async () => {
    const algebra = sim.state.grades.find((g) => g.itemid === ALGEBRA && g.userid === WITHOUT_HIDDEN_MARK);
    if (!algebra) throw new Error('seed changed');
    algebra.hiddenuntil = now() + DAY;
    let r = await report();
    expect(row(r, WITHOUT_HIDDEN_MARK, ALGEBRA)).toBeUndefined();
    expect(row(r, WITHOUT_HIDDEN_MARK, COURSE_TOTAL)?.graderaw).toBeNull();

    algebra.hiddenuntil = now() - DAY;
    r = await report();
    expect(row(r, WITHOUT_HIDDEN_MARK, ALGEBRA)?.graderaw).toBe(69);
    expect(row(r, WITHOUT_HIDDEN_MARK, COURSE_TOTAL)?.graderaw).toBe(94);
  });
});

test('an enrolment that starts in the future has no grade rows yet (reference §10)', async () => {
  const before = await report();
  expect(rowsOf(before, WITHOUT_HIDDEN_MARK).length).toBeGreaterThan(0);
  const enrolIds = new Set([...sim.state.enrolInstances.values()].filter((e) => e.courseid === MATH).map((e) => e.id));
  for (const ue of sim.state.userEnrolments)
    if (ue.userid === WITHOUT_HIDDEN_MARK && enrolIds.has(ue.enrolid)) ue.timestart = now() + 60 * DAY;
  const after = await report();
  expect(after.usergrades.map((u) => u.userid)).not.toContain(WITHOUT_HIDDEN_MARK);
  expect(after.usergrades.length).toBe(before.usergrades.length - 1);
});
