import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startMoodleSim, type MoodleSim } from './index';
import { callSim } from './test-support';

/**
 * How gradereport_user_get_grade_items shows a grade, as Moodle 5.1 does (reference §3.4): the fields of
 * the User report's range and percentage columns appear only while those columns are on
 * (grade_report_user_showrange / _showpercentage, grade/report/user/classes/external/user.php fills them
 * from the report's columns), and gradeformatted follows the item's display type — a letter from
 * grade_get_letters(null)'s default boundaries (grade/lib.php: 93 A, 90 A-, 87 B+, 83 B, 80 B-, 77 C+,
 * 73 C, 70 C-, 67 D+, 60 D, 0 F), the score standardised to 0–100 (grade_format_gradevalue_letter).
 */
type Row = Record<string, unknown> & { id: number };
interface Report {
  usergrades: { userid: number; gradeitems: Row[] }[];
}

const BIO = 3;
const BIO_TOTAL = 7;
const LAB_REPORT_1 = 9;

let sim: MoodleSim;
beforeEach(async () => {
  sim = await startMoodleSim();
});
afterEach(async () => {
  await sim.close();
});

const rows = async (itemid: number): Promise<Row[]> => {
  const r = (await callSim(sim, 'gradereport_user_get_grade_items', { courseid: BIO, userid: 0 })) as Report;
  return r.usergrades.map((u) => u.gradeitems.find((i) => i.id === itemid)).filter((i): i is Row => i !== undefined);
};

describe('grade display in gradereport_user_get_grade_items', () => {
  test('Moodle leaves out grademin, grademax and rangeformatted with the range column off, percentageformatted with the percentage column off', async () => {
    const [on] = await rows(BIO_TOTAL);
    expect(on).toHaveProperty('grademax');
    expect(on).toHaveProperty('percentageformatted');
    sim.state.site.userReportShowRange = false;
    sim.state.site.userReportShowPercentage = false;
    const [off] = await rows(BIO_TOTAL);
    for (const key of ['grademin', 'grademax', 'rangeformatted', 'percentageformatted'])
      expect(off).not.toHaveProperty(key);
    // The grade itself is still there.
    expect(off).toHaveProperty('graderaw');
  });

  test('Moodle formats a letter-display item with the default letters from the standardised score', async () => {
    sim.state.gradeItems.get(LAB_REPORT_1)!.display = 'letter';
    for (const row of await rows(LAB_REPORT_1)) {
      const raw = row.graderaw as number | null;
      if (raw === null) {
        expect(row.gradeformatted).toBe('-');
        continue;
      }
      const percent = (raw / 20) * 100;
      const expected =
        [
          [93, 'A'],
          [90, 'A-'],
          [87, 'B+'],
          [83, 'B'],
          [80, 'B-'],
          [77, 'C+'],
          [73, 'C'],
          [70, 'C-'],
          [67, 'D+'],
          [60, 'D'],
          [0, 'F'],
        ].find(([b]) => percent >= (b as number))?.[1] ?? '-';
      expect(row.gradeformatted).toBe(expected);
    }
    sim.state.gradeItems.get(LAB_REPORT_1)!.display = 'percentage';
    const graded = (await rows(LAB_REPORT_1)).find((r) => r.graderaw !== null)!;
    expect(graded.gradeformatted).toBe(`${(((graded.graderaw as number) / 20) * 100).toFixed(2)} %`);
  });
});
