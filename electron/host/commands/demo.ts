import { silentLogger } from '../../../adapters/contract';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as DemoKitModule from '../../../adapters/testing/demo-kit';
import type { MoodleSim, SimModule, SimSeed } from '../../../adapters/testing/moodle-sim';
import type { ApiInput, ApiMethod, ApiOutput } from '../../core/contract/contract';
import {
  defaultWorkerFile,
  EngineStartError,
  startEngineWorker,
  type EngineClient,
} from '../../core/engine/engine-client';
import type { Part, Snapshot } from '../../core/model';
import { readSmsSource } from '../../core/sms/import-snapshot';
import { runIntake } from '../../core/sms/intake';
import { readExport } from '../../core/sms/read-export';
import { createSmsAdapter } from '../../core/sms/sms-adapter-factory';
import { databaseFile } from '../../core/paths/data-dir';
import type { SnapshotMeta } from '../../core/store/repositories/snapshot-repository';
import { openStore } from '../../core/store/store';
import { createToken } from '../auth';
import { startHttpHost, type HttpHost } from '../http-host';
import { CommandFailed, UsageError, type Output } from './output';

// The simulator and the sample school come from adapters/testing, whose code shipped code never
// imports: the demo loads them from their own built entry (out/host/demo-kit.mjs, next to cli.mjs), so
// the CLI bundle stays free of test code. Only types are imported from the source (erased by the build).
type DemoKit = typeof DemoKitModule;

/** The built kit beside the built CLI (this module is bundled into out/host/cli.mjs). */
async function loadDemoKit(): Promise<DemoKit> {
  return (await import(new URL('./demo-kit.mjs', import.meta.url).href)) as DemoKit;
}

export interface DemoOptions {
  /** Run the walk-through, print the summary and exit instead of serving until Ctrl+C. */
  once: boolean;
  port: number;
  /** Simulated Moodle server time per request, so the steps are visible in the UI. */
  latencyMs: number;
  /** A pause before each step (and three before the first), so a person can follow in the UI. */
  stepDelayMs: number;
}

/** Ctrl+C or SIGTERM during the walk-through: stop cleanly, not as a failure. */
class DemoStopped extends Error {}

/** The sample school: a small training organisation, always the same (no username an LMS would refuse). */
export const DEMO_SCHOOL = { seed: 2024, country: 'au', size: { students: 40, enrolmentsPerStudent: 4 } } as const;
export const DEMO_SMS_ID = 'demo-sms';
export const DEMO_LMS_ID = 'demo-moodle';
/** Moodle's standard role ids (a fresh site); an admin enters them in the mapping for empty courses. */
const ROLE_IDS = { student: 5, editingteacher: 3 };
/** The activities a teacher set up in every course, and how far the class has got with each. */
const ACTIVITIES = [
  { modname: 'assign', name: 'Assessment task 1', grademax: 100, gradedShare: 0.95 },
  { modname: 'quiz', name: 'Knowledge quiz', grademax: 20, gradedShare: 0.7 },
  { modname: 'assign', name: 'Practical observation', grademax: 10, gradedShare: 0.3 },
] as const;

export interface DemoSummary {
  dataDir: string;
  url: string;
  moodleUrl: string;
  school: { name: string; students: number; teachers: number; courses: number; enrolments: number; export: string };
  imported: { people: number; courses: number; groups: number; enrolments: number };
  courseList: { total: number; opened: number };
  upload: { outcome: string; message: string; usersInMoodle: number; enrolmentsInMoodle: number };
  grades: { activities: number; grades: number };
  download: { outcome: string; message: string; results: number; averageProgress: number; resultsFile: string };
  seconds: number;
}

/**
 * `classbridge demo`: a whole sync in a minute, against nothing real. A generated sample school
 * (a OneRoster export in the demo folder), a Moodle simulator in this process whose courses the
 * "teachers" already set up, and the headless host exactly as `serve` runs it. The demo then does
 * through the Api what an admin would do in the UI — set up, import, course list, choose the courses,
 * upload, download — and keeps serving (schedules on) until Ctrl+C; `--once` exits after the summary.
 *
 * Nothing outside the demo folder is touched: a fresh temporary folder by default, or an explicit
 * `--data-dir` that must be empty (so it can never be an admin's real data folder). The simulator's
 * token lives only in the engine worker's memory (no keychain, no file) and dies with the process.
 */
export async function demoCommand(
  explicitDataDir: string | undefined,
  options: DemoOptions,
  out: Output,
): Promise<void> {
  const started = Date.now();
  const dataDir = prepareFolder(explicitDataDir);
  const kit = await loadDemoKit();
  const say = (text: string): void => out.line(text);
  // From the start, so Ctrl+C at any moment still closes the host, the engine and the simulator.
  let stopRequested = false;
  let onStop = (): void => undefined;
  const stopped = new Promise<void>((resolveStop) => (onStop = resolveStop));
  const stop = (): void => {
    stopRequested = true;
    onStop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const pause = async (ms = options.stepDelayMs): Promise<void> => {
    if (ms > 0) await Promise.race([stopped, new Promise((r) => setTimeout(r, ms).unref())]);
    if (stopRequested) throw new DemoStopped();
  };

  const school = kit.generateSchool({ seed: DEMO_SCHOOL.seed, country: DEMO_SCHOOL.country, size: DEMO_SCHOOL.size });
  const exportFile = join(dataDir, 'sample-school', 'oneroster.zip');
  mkdirSync(join(dataDir, 'sample-school'), { recursive: true });
  writeFileSync(exportFile, kit.zipBytes(kit.oneRosterFiles(school, { version: '1.2' })));
  // The courses as ClassBridge will read them, so the simulated Moodle has exactly those.
  const preview = (
    await readSmsSource(await createSmsAdapter('oneroster', { path: exportFile }), {
      kind: 'path',
      path: exportFile,
    })
  ).snapshot;

  say('ClassBridge demo: a generated sample school and a simulated Moodle; your real data is not touched.');
  say(`Demo folder: ${dataDir}`);
  const sim = await kit.startMoodleSim({
    seed: demoSeed(kit, preview),
    latency: { perRequestMs: options.latencyMs, perItemMs: 0 },
  });
  let engine: EngineClient | undefined;
  let host: HttpHost | undefined;
  const shutdown = async (): Promise<void> => {
    await host?.close();
    await engine?.stop();
    await sim.close();
  };
  try {
    say(
      `Simulated Moodle: ${sim.url} (${preview.courses.length} courses the teachers already set up, ${options.latencyMs} ms per request)`,
    );
    const teachers = school.staff.length;
    say(
      `Sample school: ${school.name}: ${school.students.length} students, ${teachers} teachers, ${school.courses.length} courses, as a OneRoster 1.2 export (${exportFile})`,
    );

    try {
      engine = await startEngineWorker(defaultWorkerFile(import.meta.url), { dataDir, secrets: 'memory' });
    } catch (err) {
      if (err instanceof EngineStartError) throw new CommandFailed(err.message, { code: err.code });
      throw err;
    }
    const api = apiOf(engine);
    host = await startHttpHost({
      api: engine,
      token: createToken(),
      rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
      port: options.port,
    }).catch((err: NodeJS.ErrnoException) => {
      throw new CommandFailed(
        err.code === 'EADDRINUSE' ? `Port ${options.port} is already in use; choose another with --port.` : err.message,
      );
    });
    // The URL carries the token: it goes to the terminal (like `serve`), never to the log.
    say(`ClassBridge headless host: ${host.url}`);
    say(
      options.stepDelayMs > 0
        ? `Open it in a browser to watch. In ${(3 * options.stepDelayMs) / 1000} s the demo starts doing what an admin would do in the app (schedules wait until it is done):`
        : 'The demo now does what an admin would do in the app:',
    );
    await pause(3 * options.stepDelayMs);

    // 1. Set up, as the wizard does. Schedules stay paused while the demo drives each step itself.
    await api('settings:save', { ...(await api('settings:get', {})), timeZone: 'Australia/Sydney', paused: true });
    await api('connections:save', {
      id: DEMO_SMS_ID,
      kind: 'sms',
      provider: 'oneroster',
      name: 'Sample school (OneRoster)',
      source: exportFile,
      options: {},
    });
    await api('connections:save', {
      id: DEMO_LMS_ID,
      kind: 'lms',
      provider: 'moodle',
      name: 'Demo Moodle',
      url: sim.url,
      mapping: { roleIds: ROLE_IDS },
    });
    await api('secrets:set', { connectionId: DEMO_LMS_ID, name: 'token', value: sim.token });
    const test = await api('connections:test', { connectionId: DEMO_LMS_ID });
    if (!test.ok) throw new CommandFailed(`Test connection failed: ${test.error?.message ?? test.fixes.join(' ')}`);
    say(
      `  1. Set up: SMS "Sample school (OneRoster)", LMS "Demo Moodle" (token held in memory for this demo only). Test connection: ok, ${test.site?.release ?? 'Moodle'}.`,
    );

    await pause();
    // 2. Import the export, as `classbridge import` does: SMS data has no Api call, it comes as a file or
    // a push. A second connection to the database, like the CLI's; the engine notices the new snapshot.
    const store = openStore({ file: databaseFile(dataDir) });
    let imported: SnapshotMeta['counts'];
    try {
      const sms = store.connections.get(DEMO_SMS_ID);
      const outcome = await runIntake(
        { store, logger: silentLogger },
        {
          source: `OneRoster SIS export ${exportFile}`,
          trigger: 'cli',
          read: () =>
            readExport(exportFile, { format: 'oneroster', ...(sms?.kind === 'sms' ? { connection: sms } : {}), store }),
        },
      );
      if (!outcome.ok) throw new CommandFailed(`Import: ${outcome.message}`);
      imported = outcome.meta.counts;
    } finally {
      store.close();
    }
    say(
      `  2. Import the SMS export: ${imported.people} people, ${imported.courses} courses, ${imported.groups} groups, ${imported.enrolments} enrolments.`,
    );

    await pause();
    // 3. The course list: every Moodle course arrives as New; ClassBridge changes none of them yet.
    const tracked = first(await api('sync:runNow', { target: 'course-tracking', connectionId: DEMO_LMS_ID }));
    if (tracked.outcome !== 'ok') throw new CommandFailed(`Course list: ${tracked.message}`);
    say(`  3. Course list: ${tracked.message}`);

    await pause();
    // 4. The admin chooses which courses ClassBridge manages: the school's, not the site's others.
    const codes = new Set(preview.courses.map((c) => c.code));
    const schoolCourses = (await api('courses:list', { connectionId: DEMO_LMS_ID })).filter((c) =>
      codes.has(c.idnumber),
    );
    const opened = await api('courses:setState', {
      courses: schoolCourses.map((c) => ({ connectionId: DEMO_LMS_ID, lmsId: c.lmsId })),
      state: 'Open',
    });
    const total = (await api('courses:list', { connectionId: DEMO_LMS_ID })).length;
    say(
      `  4. Mark the school's ${opened.changed} courses Open (the other ${total - opened.changed} stay New, untouched).`,
    );

    await pause();
    // 5. Upload: people, groups and enrolments into the Open courses.
    const uploaded = first(await api('sync:runNow', { target: 'upload', connectionId: DEMO_LMS_ID }));
    const inMoodle = moodleCounts(sim, preview);
    say(`  5. ${uploaded.message}`);
    say(`     Moodle now has ${inMoodle.users} of the school's people and ${inMoodle.enrolments} of its enrolments.`);
    await showErrors(api, 'upload', say);
    if (uploaded.outcome === 'failed' || uploaded.outcome === 'held')
      throw new CommandFailed(`The upload did not complete: ${uploaded.message}`);

    await pause();
    // 6. What happens in Moodle between syncs: teachers mark work.
    const marked = markWork(kit, sim, new Set(schoolCourses.map((c) => c.lmsId)));
    say(
      `  6. Meanwhile in Moodle, teachers mark work (the demo plays them): ${marked.grades} grades in ${marked.activities} activities.`,
    );

    await pause();
    // 7. Download: progress % and course grades of every Open course, then written for the SMS.
    const downloaded = first(await api('sync:runNow', { target: 'download', connectionId: DEMO_LMS_ID }));
    const results = await api('progress:list', { connectionId: DEMO_LMS_ID });
    const average = results.length === 0 ? 0 : results.reduce((s, r) => s + r.progressPercent, 0) / results.length;
    say(`  7. Download: ${downloaded.message}`);
    say(
      `     Average progress ${average.toFixed(0)} % over ${results.length} results; see them under Progress in the UI.`,
    );
    await showErrors(api, 'results', say);
    if (downloaded.outcome === 'failed')
      throw new CommandFailed(`The download did not complete: ${downloaded.message}`);

    const summary: DemoSummary = {
      dataDir,
      url: host.url,
      moodleUrl: sim.url,
      school: {
        name: school.name,
        students: school.students.length,
        teachers,
        courses: school.courses.length,
        enrolments: school.enrolments.length,
        export: exportFile,
      },
      imported,
      courseList: { total, opened: opened.changed },
      upload: {
        outcome: uploaded.outcome,
        message: uploaded.message,
        usersInMoodle: inMoodle.users,
        enrolmentsInMoodle: inMoodle.enrolments,
      },
      grades: marked,
      download: {
        outcome: downloaded.outcome,
        message: downloaded.message,
        results: results.length,
        averageProgress: Math.round(average * 100) / 100,
        resultsFile: join(dataDir, 'results', DEMO_LMS_ID, 'results.csv'),
      },
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    if (out.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    say(`Whole sync done in ${summary.seconds} s.`);
    if (options.once) return;

    // From here on it is a normal install: schedules run, the UI can do anything the app can.
    await api('sync:setPaused', { paused: false });
    say(`Still serving at ${host.url}`);
    say(
      'Schedules are on now, as in a real install. Press Ctrl+C to stop (the demo folder stays; delete it when done).',
    );
    await stopped;
    say('Stopping the demo.');
  } catch (err) {
    if (!(err instanceof DemoStopped)) throw err;
    say('Stopped before the end of the demo.');
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await shutdown();
  }
}

/** A fresh folder: a new temporary one, or the explicit --data-dir only when it is empty. */
function prepareFolder(explicit: string | undefined): string {
  if (explicit === undefined) return mkdtempSync(join(tmpdir(), 'classbridge-demo-'));
  const dir = resolve(explicit);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new UsageError(
      `The demo needs an empty folder, and ${dir} is not empty (it could be real ClassBridge data). Leave out --data-dir to use a new temporary folder.`,
    );
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Calls the engine worker's Api; an error answer stops the demo with the Api's message. */
function apiOf(engine: EngineClient) {
  return async <M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> => {
    const response = await engine.call(method, input);
    if (!response.ok) throw new CommandFailed(`${method}: ${response.error.message}`, response.error);
    return response.result as ApiOutput<M>;
  };
}

/** A record that failed, with its fix, as the Errors page shows it. */
async function showErrors(api: ReturnType<typeof apiOf>, part: Part, say: (text: string) => void): Promise<void> {
  const errors = await api('errors:list', { connectionId: DEMO_LMS_ID, part });
  for (const e of errors.slice(0, 5)) say(`     ! ${e.recordKind} ${e.recordKey}: ${e.message} ${e.fix}`);
  if (errors.length > 5) say(`     … and ${errors.length - 5} more on the Errors page.`);
}

function first<T>(list: readonly T[]): T {
  const item = list[0];
  if (item === undefined) throw new CommandFailed('The engine ran nothing (no LMS connection?).');
  return item;
}

/**
 * The lab site (defaultSeed: its own three courses and people) plus one course per SMS course, as the
 * school's Moodle admin created them: idnumber = the SMS course code, a manual enrolment method, and
 * three graded activities, but nobody enrolled yet.
 */
function demoSeed(kit: DemoKit, snapshot: Snapshot): SimSeed {
  const seed = kit.defaultSeed();
  const courses = [...seed.courses];
  const enrolInstances = [...seed.enrolInstances];
  const sections = [...seed.sections];
  const modules = [...seed.modules];
  const gradeCategories = [...seed.gradeCategories];
  const gradeItems = [...seed.gradeItems];
  const next = (rows: readonly { id: number }[]): number => Math.max(0, ...rows.map((r) => r.id)) + 1;
  let contextId = 1000;
  const instances = new Map<string, number>();
  for (const [i, course] of snapshot.courses.entries()) {
    const id = next(courses);
    courses.push(
      kit.seedCourse({
        id,
        category: 1,
        sortorder: 10001 + i,
        fullname: course.name || course.code,
        shortname: course.code,
        idnumber: course.code,
        contextid: contextId++,
        numsections: 1,
      }),
    );
    enrolInstances.push({ id: next(enrolInstances), courseid: id, enrol: 'manual', status: 0 });
    const general = { id: next(sections), courseid: id, section: 0, name: null, summary: '', visible: 1, sequence: [] };
    sections.push(general);
    const topic = { ...general, id: general.id + 1, section: 1, sequence: [] as number[] };
    sections.push(topic);
    const category = { id: next(gradeCategories), courseid: id, parent: null, fullname: '?' };
    gradeCategories.push(category);
    gradeItems.push(
      kit.gradeItem({ id: next(gradeItems), courseid: id, itemtype: 'course', iteminstance: category.id }),
    );
    for (const [n, activity] of ACTIVITIES.entries()) {
      const instance = (instances.get(activity.modname) ?? 100) + 1;
      instances.set(activity.modname, instance);
      const module: SimModule = {
        id: next(modules),
        courseid: id,
        sectionid: topic.id,
        modname: activity.modname,
        instance,
        name: activity.name,
        visible: 1,
        visibleoncoursepage: 1,
        contextid: contextId++,
        completion: 1,
        customdata: '""',
        duedate: 0,
        timemodified: 0,
      };
      modules.push(module);
      topic.sequence.push(module.id);
      gradeItems.push(
        kit.gradeItem({
          id: next(gradeItems),
          courseid: id,
          itemtype: 'mod',
          itemmodule: activity.modname,
          iteminstance: instance,
          itemnumber: 0,
          itemname: activity.name,
          categoryid: category.id,
          grademax: activity.grademax,
          sortorder: n + 2,
          cmid: module.id,
        }),
      );
    }
  }
  return { ...seed, courses, enrolInstances, sections, modules, gradeCategories, gradeItems };
}

/** The school's people (by idnumber = SMS id) and their enrolments, as the simulated Moodle holds them now. */
function moodleCounts(sim: MoodleSim, snapshot: Snapshot): { users: number; enrolments: number } {
  const ids = new Set(snapshot.people.map((p) => p.smsId));
  const users = [...sim.state.users.values()].filter((u) => ids.has(u.idnumber));
  const userIds = new Set(users.map((u) => u.id));
  const enrolments = sim.state.userEnrolments.filter((ue) => userIds.has(ue.userid));
  return { users: users.length, enrolments: enrolments.length };
}

/** Teachers grade some of each class's work, the same way on every run; the first activity most, the last least. */
function markWork(
  kit: DemoKit,
  sim: MoodleSim,
  courseIds: ReadonlySet<number>,
): { activities: number; grades: number } {
  const random = kit.seededRandom(DEMO_SCHOOL.seed);
  const students = kit.studentsByCourse(sim.state);
  let activities = 0;
  let grades = 0;
  for (const courseId of courseIds) {
    const items = [...sim.state.gradeItems.values()].filter((i) => i.courseid === courseId && i.itemtype === 'mod');
    for (const item of items) {
      activities += 1;
      const share = ACTIVITIES.find((a) => a.name === item.itemname)?.gradedShare ?? 0.5;
      for (const userid of students.get(courseId) ?? []) {
        if (random() >= share) continue;
        kit.gradeStudent(sim.state, item.id, userid, Math.round(item.grademax * (0.45 + random() * 0.55)));
        grades += 1;
      }
    }
  }
  return { activities, grades };
}
