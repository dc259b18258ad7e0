import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMoodleAdapter } from '../../../../adapters/lms/moodle';
import { startMoodleSim, type MoodleSim } from '../../../../adapters/testing/moodle-sim';
import { callSim } from '../../../../adapters/testing/moodle-sim/test-support';
import { useTempDirs } from '../../../test-support/temp';
import { ConnectionSchema, type Snapshot } from '../../model';
import { openStore, type Store } from '../../store/store';
import { trackCourses } from '../course-tracking';
import { downloadResults, type DownloadOptions } from './index';

/**
 * Results are what the student may see (issue 12 item 4). ClassBridge's token has
 * moodle/grade:viewhidden, so Moodle hands it the real totals with hidden marks in them; the oracle
 * here is what the same simulated Moodle shows a caller *without* viewhidden — the student's view —
 * under grade_report_user_showtotalsifcontainhidden.
 */
const tempDir = useTempDirs();
let sim: MoodleSim;
let store: Store;
const CONNECTION = 'moodle';
const MATH = 2;
const ALGEBRA = 2;
const FINAL_EXAM = 5;
/** s1001 has a mark in the hidden final exam; s1002 has none. */
const WITH_HIDDEN_MARK = 7;
const WITHOUT_HIDDEN_MARK = 8;
const DAY = 86_400;

beforeEach(async () => {
  sim = await startMoodleSim();
  store = openStore({ file: join(tempDir(), 'cb.db') });
  store.connections.save(
    ConnectionSchema.parse({ id: CONNECTION, kind: 'lms', provider: 'moodle', name: 'Moodle', url: sim.url }),
  );
  store.snapshot.replace(everyStudent(), 'test');
  await trackCourses(adapter(), store, CONNECTION);
  store.lmsCourses.setState(CONNECTION, MATH, 'Open');
});
afterEach(async () => {
  store.close();
  await sim.close();
});

const adapter = () => createMoodleAdapter({ url: sim.url, token: sim.token, maxAttempts: 1, timeoutMs: 5000 });
const download = (options: DownloadOptions = {}) => downloadResults(adapter(), store, CONNECTION, options);
const now = () => Math.floor(Date.now() / 1000);

/** Every sim student is an SMS person whose id is their LMS idnumber. */
function everyStudent(): Snapshot {
  const students = [...sim.state.users.values()].filter((u) => u.username.startsWith('s') && u.idnumber !== '');
  return {
    people: students.map((u) => ({
      smsId: u.idnumber,
      role: 'student' as const,
      givenName: u.firstname,
      familyName: u.lastname,
      active: true,
    })),
    courses: [],
    groups: [],
    enrolments: [],
  };
}

interface StudentRow {
  id: number;
  itemtype: string;
  graderaw: number | null;
  grademax: number;
  gradeformatted: string;
  percentageformatted: string;
}

/** The report a caller without moodle/grade:viewhidden gets: what the student sees in Moodle. */
async function studentView(): Promise<Map<string, StudentRow[]>> {
  sim.revokeCapability(sim.token, 'moodle/grade:viewhidden');
  try {
    const answer = (await callSim(sim, 'gradereport_user_get_grade_items', { courseid: MATH, userid: 0 })) as {
      usergrades: { userid: number; gradeitems: StudentRow[] }[];
    };
    return new Map(answer.usergrades.map((u) => [sim.state.users.get(u.userid)?.idnumber ?? '?', u.gradeitems]));
  } finally {
    sim.grantCapability(sim.token, 'moodle/grade:viewhidden');
  }
}

/** The student's course total and progress as their own report shows them. */
function seenByStudent(rows: readonly StudentRow[]) {
  const total = rows.find((r) => r.itemtype === 'course');
  const mods = rows.filter((r) => r.itemtype === 'mod');
  const graded = mods.filter((r) => r.graderaw !== null).length;
  return {
    grade: total && total.graderaw !== null ? total.gradeformatted : null,
    gradePercent: total && total.graderaw !== null ? Number.parseFloat(total.percentageformatted) : null,
    progressPercent: mods.length === 0 ? 0 : Math.round((graded / mods.length) * 10000) / 100,
    activities: mods.map((r) => r.id).sort(),
  };
}

async function expectAsStudentsSee(): Promise<void> {
  const view = await studentView();
  const stored = store.results.list({ connectionId: CONNECTION });
  expect(stored.length).toBe(view.size);
  for (const result of stored) {
    const rows = view.get(result.personSmsId);
    if (!rows) throw new Error(`no student view for ${result.personSmsId}`);
    expect(
      {
        grade: result.grade,
        gradePercent: result.gradePercent,
        progressPercent: result.progressPercent,
        activities: result.activities.map((a) => a.itemId).sort(),
      },
      result.personSmsId,
    ).toEqual(seenByStudent(rows));
  }
}

const resultOf = (userId: number) => {
  const idnumber = sim.state.users.get(userId)?.idnumber;
  return store.results.list({ connectionId: CONNECTION }).find((r) => r.personSmsId === idnumber);
};

describe('results are what the student may see', () => {
  it("by default (Moodle's setting 0) a total a hidden mark counts in is not sent; the rest go as shown", async () => {
    // The token does read the real total: 126 of 190, the hidden final exam's 42 in it.
    const real = await adapter().readGradebook(MATH);
    const realTotal = real.users.find((u) => u.userId === WITH_HIDDEN_MARK)?.items.find((i) => i.type === 'course');
    expect(realTotal).toMatchObject({ raw: 126, gradeMax: 190 });

    await download();
    await expectAsStudentsSee();
    expect(resultOf(WITH_HIDDEN_MARK)).toMatchObject({ grade: null, gradePercent: null });
    expect(resultOf(WITHOUT_HIDDEN_MARK)?.grade).toBe('94.00');
    expect(resultOf(WITH_HIDDEN_MARK)?.activities.map((a) => a.itemId)).not.toContain(FINAL_EXAM);
  });

  it('a grade hidden until a date ahead counts nowhere until then, and as released after it', async () => {
    const algebra = sim.state.grades.find((g) => g.itemid === ALGEBRA && g.userid === WITHOUT_HIDDEN_MARK);
    if (!algebra) throw new Error('seed changed: s1002 has no Algebra mark');
    algebra.hiddenuntil = now() + 7 * DAY;
    await download();
    await expectAsStudentsSee();
    const before = resultOf(WITHOUT_HIDDEN_MARK);
    expect(before).toMatchObject({ grade: null, gradePercent: null });
    expect(before?.activities.map((a) => a.itemId)).not.toContain(ALGEBRA);

    algebra.hiddenuntil = now() - 60;
    await download();
    await expectAsStudentsSee();
    expect(resultOf(WITHOUT_HIDDEN_MARK)?.grade).toBe('94.00');
    expect(resultOf(WITHOUT_HIDDEN_MARK)?.activities.map((a) => a.itemId)).toContain(ALGEBRA);
  });

  it("'recompute' sends the total without hidden items, as a site set to 1 shows its students", async () => {
    sim.state.site.showTotalsIfContainHidden = 1;
    await download({ hiddenTotals: 'recompute' });
    await expectAsStudentsSee();
    // 62 + 11 + 5 + 6 of 100 + 20 + 10 + 10, not 126 of 190.
    expect(resultOf(WITH_HIDDEN_MARK)).toMatchObject({ grade: '84.00', gradePercent: 60 });
  });

  it('a hidden item nobody has a mark in changes no total', async () => {
    const essay = [...sim.state.gradeItems.values()].find(
      (i) => i.courseid === MATH && i.itemname === 'Geometry essay',
    );
    if (!essay) throw new Error('seed changed: no Geometry essay');
    sim.state.grades = sim.state.grades.filter((g) => g.itemid !== FINAL_EXAM);
    essay.hidden = true;
    // s1004 has no Geometry mark; their total goes as it is, without the hidden essay in progress.
    await download();
    await expectAsStudentsSee();
    expect(resultOf(10)?.grade).not.toBeNull();
  });
});
