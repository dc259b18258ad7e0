import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import { addActivities, gradeStudent, studentsByCourse, type MoodleSim } from '../../adapters/testing/moodle-sim';
import { combinedCsv } from '../../adapters/testing/sms-fixtures/csv';
import type { SyntheticSchool } from '../../adapters/testing/sms-fixtures/school';
import type { ApiInput, ApiMethod, ApiOutput } from '../../electron/core/contract/contract';
import type { HeadlessHost } from '../fixtures/headless-host';

/** The sim's LMS admin: a student with this email is refused by Moodle ("Email address already exists"). */
export const CLASHING_EMAIL = 'admin@example.invalid';

export type CallApi = <M extends ApiMethod>(method: M, input: ApiInput<M>) => Promise<ApiOutput<M>>;

/**
 * Calls the host's Api the way the page does (POST /api/<method> with the page's token), from the test.
 * The simulated Moodle lives in the test's process, so the call must be async (never spawnSync) for the
 * host's requests to the sim to be answered meanwhile.
 */
export function apiFor(host: HeadlessHost): CallApi {
  const url = new URL(host.url);
  const token = url.searchParams.get('token') ?? '';
  return async (method, input) => {
    const response = await fetch(`${url.origin}/api/${method}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(input),
    });
    const body = (await response.json()) as { ok: boolean; result?: unknown; error?: { message: string } };
    if (!body.ok) throw new Error(`${method} failed: ${body.error?.message ?? response.status}`);
    return body.result as never;
  };
}

/**
 * Upload now / Download now … through the Api. The engine notices a `classbridge config import` by polling
 * the database every 2 s and only then schedules the new connection's parts, so a run asked for in that
 * gap is refused with "No part is scheduled"; ask again until it is accepted.
 */
export async function runNow(
  api: CallApi,
  target: ApiInput<'sync:runNow'>['target'],
  connectionId = 'moodle-main',
): Promise<ApiOutput<'sync:runNow'>[number]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const [result] = await api('sync:runNow', { target, connectionId });
      if (!result) throw new Error(`sync:runNow ${target} ran nothing`);
      return result;
    } catch (err) {
      if (!String(err).includes('No part is scheduled') || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** The school's next CSV export, imported as `classbridge import` would (no LMS call, so spawnSync is fine). */
export function importSchool(host: HeadlessHost, school: SyntheticSchool): void {
  const file = path.join(host.dataDir, 'students.csv');
  writeFileSync(file, combinedCsv(school));
  const result = host.cli(['import', '--provider', 'csv', file]);
  expect(result.status, `classbridge import failed:\n${result.stderr}`).toBe(0);
}

/** The same school with its first student's email clashing with the LMS admin's. */
export function withClashingEmail(school: SyntheticSchool): { school: SyntheticSchool; studentId: string } {
  const clashing = structuredClone(school);
  const student = clashing.students[0]!;
  student.email = CLASHING_EMAIL;
  return { school: clashing, studentId: student.id };
}

/**
 * What an admin does on a first day, through the Api: upload (ClassBridge creates the school's courses),
 * read the course list, mark the school's courses Open; then teachers mark work in Moodle and ClassBridge
 * downloads the results. Returns the Open courses' LMS ids.
 */
export async function syncWithResults(
  api: CallApi,
  sim: MoodleSim,
  school: SyntheticSchool,
  connectionId = 'moodle-main',
): Promise<number[]> {
  const upload = await runNow(api, 'upload', connectionId);
  expect(['ok', 'partial']).toContain(upload.outcome);
  const tracked = await runNow(api, 'course-tracking', connectionId);
  expect(tracked.outcome).toBe('ok');
  const codes = new Set(school.courses.map((c) => c.code));
  const courses = (await api('courses:list', { connectionId })).filter((c) => codes.has(c.idnumber));
  expect(courses.length).toBeGreaterThan(0);
  await api('courses:setState', {
    courses: courses.map((c) => ({ connectionId, lmsId: c.lmsId })),
    state: 'Open',
  });
  markWork(
    sim,
    courses.map((c) => c.lmsId),
  );
  const download = await runNow(api, 'download', connectionId);
  expect(download.outcome, download.message).toBe('ok');
  return courses.map((c) => c.lmsId);
}

/**
 * Data on every page, for the accessibility check and the screenshots: one record refused (a sync error),
 * results downloaded, and a reconcile that repaired a hand-made change in Moodle.
 */
export async function addSampleData(host: HeadlessHost, sim: MoodleSim, school: SyntheticSchool): Promise<void> {
  importSchool(host, withClashingEmail(school).school);
  const api = apiFor(host);
  await syncWithResults(api, sim, school);
  const student = [...sim.state.users.values()].find((u) => u.idnumber === school.students[1]?.id);
  if (student) sim.state.userEnrolments = sim.state.userEnrolments.filter((ue) => ue.userid !== student.id);
  await runNow(api, 'reconcile');
}

const ACTIVITIES = [
  { name: 'Assessment task 1', grademax: 100, share: 0.9 },
  { name: 'Knowledge quiz', grademax: 20, share: 0.6 },
  { name: 'Practical observation', grademax: 10, share: 0.25 },
];

/** Teachers set three graded activities in each course and mark some of them: the same marks every time. */
export function markWork(sim: MoodleSim, courseIds: readonly number[]): void {
  const { state } = sim;
  const students = studentsByCourse(state);
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  for (const courseId of courseIds) {
    const items = addActivities(state, courseId, ACTIVITIES);
    for (const [n, activity] of ACTIVITIES.entries()) {
      for (const userid of students.get(courseId) ?? []) {
        if (random() >= activity.share) continue;
        gradeStudent(state, items[n]!.id, userid, Math.round(activity.grademax * (0.45 + random() * 0.55)));
      }
    }
  }
}
