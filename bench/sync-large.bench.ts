/**
 * End to end on a large school (issue 5): 20,000 people, 800 courses, 100,000 enrolments (each in its
 * course's class group) against the Moodle simulator with 25 ms per request, a per-record cost for
 * writes and at most 4 requests at once. Four phases: first upload, unchanged re-upload, download of
 * results, and the same download again (nothing changed: no row may be written). Prints the figures
 * next to the targets; asserts nothing.
 *
 * Three parts, as in the app: this file's main thread stands for the app's main thread (it only relays
 * and measures: event-loop delay with monitorEventLoopDelay, RSS sampled every 25 ms plus the process's
 * maxRSS); the engine (store, planner, apply, download) runs in a worker thread of the same process, so
 * the RSS measured is ClassBridge's (with the app's engine resource limits, engine-client.ts); the simulator runs in a child process, so neither its memory nor its
 * CPU is counted as ClassBridge's (its CPU time is printed, as it adds to the wall time).
 *
 * The same bundle plays all three parts: main (no argument), engine worker (workerData.role) and
 * simulator (`--sim`). Per-record write cost: CB_BENCH_WRITE_ITEM_MS (default 1 ms).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createMoodleAdapter } from '../adapters/lms/moodle';
import { varsPerItem } from '../adapters/lms/moodle/form-encoding';
import { FUNCTIONS } from '../adapters/testing/moodle-sim/functions/registry';
import { startMoodleSim, type MoodleSim } from '../adapters/testing/moodle-sim';
import { engineResourceLimits } from '../electron/core/engine/engine-client';
import { createLmsAdapter } from '../electron/core/lms/lms-adapter-factory';
import { DEFAULT_SETTINGS, LmsConnectionSchema, type LmsConnection } from '../electron/core/model';
import { openStore, type Store } from '../electron/core/store/store';
import { runUpload } from '../electron/core/sync/apply/run-upload';
import { trackCourses } from '../electron/core/sync/course-tracking';
import { downloadResults } from '../electron/core/sync/results/download-results';
import { makeSnapshot } from '../electron/test-support/synthetic-snapshot';

const STUDENTS = 20_000;
const COURSES = 800;
const PER_STUDENT = 5;
const PER_REQUEST_MS = 25;
const PER_WRITE_ITEM_MS = Number(process.env.CB_BENCH_WRITE_ITEM_MS ?? 1);
const MAX_CONCURRENT = 4;
/** The Moodle adapter's limits: 100 records per call, and 80% of PHP's max_input_vars (1000) per call. */
const ADAPTER_BATCH = 100;
const VAR_BUDGET = Math.floor(1000 * 0.8);
/** Graded activities per course for the download (plus the course total the simulator makes). */
const ACTIVITIES = 3;
const CONNECTION_ID = 'bench-moodle';

// ─── Messages between the parts ───────────────────────────────────────────────────────────────

type Request = { id: number; cmd: string; args?: unknown };
type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

interface SimCounters {
  requests: Record<string, number>;
  items: Record<string, number>;
  serviceMs: number;
  peak: number;
  cpuMs: number;
}

interface PhaseResult {
  summary: string;
  /** Records the phase wrote (upload) or stored (download), for records per minute. */
  records: number;
  writes?: number;
  /** Rows the engine wrote to SQLite during the phase (total_changes()), for the download. */
  rowsWritten?: number;
}

function rpcClient(send: (m: Request) => void, onMessage: (handler: (m: Reply) => void) => void) {
  let next = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  onMessage((m) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.ok) w.resolve(m.result);
    else w.reject(new Error(m.error));
  });
  return <T>(cmd: string, args?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      send({ id, cmd, ...(args !== undefined ? { args } : {}) });
    });
}

function serve(
  handlers: Record<string, (args: unknown) => Promise<unknown> | unknown>,
  onMessage: (handler: (m: Request) => void) => void,
  send: (m: Reply) => void,
): void {
  onMessage((m) => {
    Promise.resolve()
      .then(() => {
        const handler = handlers[m.cmd];
        if (!handler) throw new Error(`unknown command ${m.cmd}`);
        return handler(m.args);
      })
      .then(
        (result) => send({ id: m.id, ok: true, result }),
        (error: unknown) =>
          send({ id: m.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
}

// ─── The simulator (child process) ────────────────────────────────────────────────────────────

async function simProcess(): Promise<void> {
  const sim = await startMoodleSim({ maxConcurrent: MAX_CONCURRENT });
  // The school's courses exist in Moodle before ClassBridge is connected (made at no latency).
  const admin = createMoodleAdapter({ url: sim.url, token: sim.token });
  const made = await admin.createCourses(
    Array.from({ length: COURSES }, (_, c) => ({
      fullname: `Course ${c}`,
      shortname: `CODE${c}`,
      idnumber: `CODE${c}`,
      categoryId: 1,
    })),
  );
  if (made.outcomes.some((o) => !o.ok)) throw new Error('could not create the courses in the simulator');
  sim.setLatency({ perRequestMs: PER_REQUEST_MS, perItemMs: 0, perWriteItemMs: PER_WRITE_ITEM_MS });
  let cpuBase = process.cpuUsage();
  const send = (m: unknown) => process.send?.(m);
  serve(
    {
      hello: () => ({ url: sim.url, token: sim.token }),
      reset: () => {
        sim.resetCounters();
        cpuBase = process.cpuUsage();
        return null;
      },
      counters: (): SimCounters => {
        const requests: Record<string, number> = {};
        const items: Record<string, number> = {};
        for (const fn of FUNCTIONS.keys()) {
          if (sim.requestCount(fn) > 0) requests[fn] = sim.requestCount(fn);
          if (sim.itemCount(fn) > 0) items[fn] = sim.itemCount(fn);
        }
        const cpu = process.cpuUsage(cpuBase);
        return {
          requests,
          items,
          serviceMs: sim.serviceTime(),
          peak: sim.peakConcurrency(),
          cpuMs: (cpu.user + cpu.system) / 1000,
        };
      },
      seedGrades: () => seedGrades(sim),
      close: async () => {
        await sim.close();
        setImmediate(() => process.exit(0));
        return null;
      },
    },
    (handler) => process.on('message', (m) => handler(m as Request)),
    send,
  );
  send({ ready: true });
}

/** ACTIVITIES graded activities in every school course, and grades for most enrolled students (a few left ungraded). */
function seedGrades(sim: MoodleSim): { items: number; grades: number } {
  const s = sim.state;
  const student = [...s.roles.values()].find((r) => r.shortname === 'student')?.id;
  const studentsOf = new Map<number, number[]>();
  for (const ra of s.roleAssignments) {
    if (ra.roleid !== student) continue;
    const list = studentsOf.get(ra.courseid);
    if (list) list.push(ra.userid);
    else studentsOf.set(ra.courseid, [ra.userid]);
  }
  const now = Math.floor(Date.now() / 1000);
  let items = 0;
  let grades = 0;
  for (const course of s.courses.values()) {
    if (!course.shortname.startsWith('CODE')) continue;
    const top = [...s.gradeCategories.values()].find((c) => c.courseid === course.id && c.parent === null);
    if (!top) continue;
    for (let a = 0; a < ACTIVITIES; a++) {
      const id = s.sequences.gradeItem++;
      s.gradeItems.set(id, {
        id,
        courseid: course.id,
        itemtype: 'mod',
        itemmodule: 'assign',
        iteminstance: id,
        itemnumber: 0,
        itemname: `Assignment ${a + 1}`,
        idnumber: null,
        categoryid: top.id,
        grademin: 0,
        grademax: 100,
        hidden: false,
        locked: false,
        sortorder: a + 2,
        cmid: null,
      });
      items += 1;
      for (const userid of studentsOf.get(course.id) ?? []) {
        // Deterministic: about one in seven (student, activity) pairs has no grade yet.
        if ((userid * 7 + a * 3 + course.id) % 7 === 0) continue;
        const finalgrade = 40 + ((userid * 13 + a * 17 + course.id) % 61);
        s.grades.push({ itemid: id, userid, finalgrade, hidden: false, feedback: '', timemodified: now });
        grades += 1;
      }
    }
  }
  return { items, grades };
}

// ─── The engine (worker thread) ───────────────────────────────────────────────────────────────

let heapPeak = 0;
const peakHeap = (): number => Math.round(heapPeak / 1024 / 1024);

async function engineWorker(): Promise<void> {
  setInterval(() => (heapPeak = Math.max(heapPeak, getHeapStatistics().used_heap_size)), 20).unref();
  const port = parentPort;
  if (!port) throw new Error('no parent port');
  let store: Store | undefined;
  let connection: LmsConnection | undefined;
  let token = '';
  const engine = () => {
    if (!store || !connection) throw new Error('not set up');
    // A fresh adapter per run, as the engine makes one per part run.
    return { store, connection, adapter: createLmsAdapter(connection, token) };
  };
  serve(
    {
      setup: async (args) => {
        const { dir, url, token: t } = args as { dir: string; url: string; token: string };
        token = t;
        connection = LmsConnectionSchema.parse({
          id: CONNECTION_ID,
          kind: 'lms',
          provider: 'moodle',
          name: 'Simulated Moodle',
          url,
          mapping: { newCourseCategoryId: 1, roleIds: { student: 5, editingteacher: 3 } },
        });
        store = openStore({ file: join(dir, 'classbridge.db') });
        store.connections.save(connection);
        const snapshot = makeSnapshot(STUDENTS, COURSES, PER_STUDENT);
        store.snapshot.replace(snapshot, 'bench');
        // Course tracking lists the LMS courses (New); the admin marks the school's courses Open.
        const { adapter } = engine();
        await trackCourses(adapter, store, CONNECTION_ID);
        let open = 0;
        for (const c of store.lmsCourses.list({ connectionId: CONNECTION_ID })) {
          if (c.shortname.startsWith('CODE') && store.lmsCourses.setState(CONNECTION_ID, c.lmsId, 'Open') === 'changed')
            open += 1;
        }
        return {
          heapMb: Math.round(getHeapStatistics().used_heap_size / 1024 / 1024),
          people: snapshot.people.length,
          courses: snapshot.courses.length,
          groups: snapshot.groups.length,
          enrolments: snapshot.enrolments.length,
          open,
        };
      },
      upload: async (): Promise<PhaseResult> => {
        const { store: s, connection: c, adapter } = engine();
        const result = await runUpload({
          adapter,
          store: s,
          connection: c,
          settings: DEFAULT_SETTINGS,
          trigger: 'manual',
        });
        const report = result.report;
        return {
          summary: `${result.outcome}: ${result.message} [engine heap ${Math.round(getHeapStatistics().used_heap_size / 1024 / 1024)} MB used, peak ${peakHeap()} MB]`,
          records: report ? report.created + report.linked + report.updated + report.removed + report.unchanged : 0,
          ...(report ? { writes: report.created + report.updated + report.removed } : {}),
        };
      },
      download: async (): Promise<PhaseResult> => {
        const { store: s, adapter } = engine();
        const totalChanges = () => (s.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
        const [rows0, cpu0] = [totalChanges(), process.threadCpuUsage()];
        const { counts, errors } = await downloadResults(adapter, s, CONNECTION_ID);
        const cpu = process.threadCpuUsage(cpu0);
        const rowsWritten = totalChanges() - rows0;
        return {
          summary:
            `${counts.courses} courses read, ${counts.results} results (${counts.changed} changed), ${counts.unmatched} unmatched, ` +
            `${errors.length} course errors; ${rowsWritten} rows written; engine thread CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`,
          records: counts.results,
          rowsWritten,
        };
      },
      close: () => {
        store?.close();
        return null;
      },
    },
    (handler) => port.on('message', (m) => handler(m as Request)),
    (m) => port.postMessage(m),
  );
}

// ─── Main thread: drive the phases and measure ────────────────────────────────────────────────

const MB = 1024 * 1024;

/** Form variables one record takes, encoded as the Moodle adapter encodes it (see moodle-adapter.ts). */
const VARS_PER_RECORD: Record<string, number> = {
  core_user_create_users: varsPerItem({
    username: 'student1',
    firstname: 'G',
    lastname: 'F',
    email: 's1@school.example',
    idnumber: 'S1',
    auth: 'manual',
    createpassword: true,
  }),
  core_user_update_users: varsPerItem({
    id: 1,
    username: 'u',
    firstname: 'G',
    lastname: 'F',
    email: 'e',
    idnumber: 'i',
    auth: 'manual',
    suspended: false,
  }),
  core_course_create_courses: varsPerItem({ fullname: 'f', shortname: 's', idnumber: 'i', categoryid: 1 }),
  core_course_update_courses: varsPerItem({ id: 1, fullname: 'f', shortname: 's', idnumber: 'i' }),
  core_group_create_groups: varsPerItem({ courseid: 1, name: 'n', description: '', idnumber: 'i' }),
  enrol_manual_enrol_users: varsPerItem({
    roleid: 5,
    userid: 1,
    courseid: 1,
    timestart: 0,
    timeend: 0,
    suspend: false,
  }),
  enrol_manual_unenrol_users: varsPerItem({ userid: 1, courseid: 1 }),
  core_group_add_group_members: varsPerItem({ groupid: 1, userid: 1 }),
};

const isWrite = (fn: string): boolean => (FUNCTIONS.get(fn)?.transaction ?? 'read') !== 'read';
const largestBatch = (fn: string): number =>
  Math.min(ADAPTER_BATCH, Math.floor(VAR_BUDGET / (VARS_PER_RECORD[fn] ?? 1)));

interface Measured {
  phase: string;
  wallMs: number;
  result: PhaseResult;
  sim: SimCounters;
  reads: number;
  writes: number;
  minimum: number;
  writeRecords: number;
  peakRssMb: number;
  loopP99Ms: number;
  loopMaxMs: number;
}

async function main(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const dir = mkdtempSync(join(tmpdir(), 'classbridge-bench-large-'));
  const child: ChildProcess = fork(self, ['--sim'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const simReady = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`simulator exited (${code})`)));
    child.on('message', (m) => {
      if ((m as { ready?: boolean }).ready) resolve();
    });
  });
  const simCall = rpcClient(
    (m) => child.send(m),
    (h) => child.on('message', (m) => h(m as Reply)),
  );
  const worker = new Worker(self, { workerData: { role: 'engine' }, resourceLimits: engineResourceLimits() });
  worker.once('error', (e) => console.error('engine worker failed:', e));
  const engineCall = rpcClient(
    (m) => worker.postMessage(m),
    (h) => worker.on('message', (m) => h(m as Reply)),
  );

  try {
    const tSetup = performance.now();
    await simReady;
    const { url, token } = await simCall<{ url: string; token: string }>('hello');
    const school = await engineCall<Record<string, number>>('setup', { dir, url, token });
    console.log(
      `school: ${school.people} people, ${school.courses} courses (${school.open} marked Open), ${school.groups} groups, ` +
        `${school.enrolments} enrolments; set up in ${((performance.now() - tSetup) / 1000).toFixed(1)} s; ` +
        `RSS ${Math.round(process.memoryUsage.rss() / MB)} MB, engine heap ${school.heapMb} MB`,
    );
    console.log(
      `simulator: ${PER_REQUEST_MS} ms per request + ${PER_WRITE_ITEM_MS} ms per written record, at most ${MAX_CONCURRENT} requests at once, in a child process`,
    );

    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 25);

    const measured: Measured[] = [];
    const phase = async (name: string, cmd: string): Promise<void> => {
      await simCall('reset');
      histogram.reset();
      peakRss = process.memoryUsage.rss();
      const t0 = performance.now();
      const result = await engineCall<PhaseResult>(cmd);
      const wallMs = performance.now() - t0;
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      const sim = await simCall<SimCounters>('counters');
      let reads = 0;
      let writes = 0;
      let minimum = 0;
      let writeRecords = 0;
      for (const [fn, n] of Object.entries(sim.requests)) {
        if (isWrite(fn)) {
          writes += n;
          const items = sim.items[fn] ?? 0;
          writeRecords += items;
          minimum += Math.ceil(items / largestBatch(fn));
        } else reads += n;
      }
      // The download's work is one gradebook per Open course: that call takes one course.
      if (cmd === 'download') minimum = sim.requests.gradereport_user_get_grade_items ?? 0;
      measured.push({
        phase: name,
        wallMs,
        result,
        sim,
        reads,
        writes,
        minimum,
        writeRecords,
        peakRssMb: peakRss / MB,
        loopP99Ms: histogram.percentile(99) / 1e6,
        loopMaxMs: histogram.max / 1e6,
      });
      console.log(`${name}: ${(wallMs / 1000).toFixed(1)} s — ${result.summary}`);
    };

    await phase('first upload', 'upload');
    await phase('unchanged re-upload', 'upload');
    const seeded = await simCall<{ items: number; grades: number }>('seedGrades');
    console.log(`gradebooks: ${seeded.items} activities, ${seeded.grades} grades seeded in the simulator`);
    await phase('download', 'download');
    // The same gradebooks again: nothing changed, so nothing may be written.
    await phase('unchanged download', 'download');
    clearInterval(sampler);
    histogram.disable();

    report(measured);
  } finally {
    await engineCall('close').catch(() => undefined);
    await worker.terminate();
    await simCall('close').catch(() => undefined);
    if (child.exitCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(measured: Measured[]): void {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.table(
    measured.map((m) => {
      const bound = m.sim.serviceMs / MAX_CONCURRENT;
      return {
        phase: m.phase,
        wall: s(m.wallMs),
        'requests (reads + writes)': `${m.reads + m.writes} (${m.reads} + ${m.writes})`,
        'minimum requests': m.minimum,
        'requests ÷ minimum': m.minimum > 0 ? ((m.reads + m.writes) / m.minimum).toFixed(3) : '—',
        'lower bound': s(bound),
        'wall ÷ bound': bound > 0 ? (m.wallMs / bound).toFixed(3) : '—',
        'records/min': Math.round(m.result.records / (m.wallMs / 60_000)).toLocaleString('en'),
        'peak RSS MB': Math.round(m.peakRssMb),
        'loop p99 ms': m.loopP99Ms.toFixed(1),
        'loop max ms': m.loopMaxMs.toFixed(1),
        'sim CPU': s(m.sim.cpuMs),
        'sim peak conc.': m.sim.peak,
      };
    }),
  );
  console.table(
    measured.flatMap((m) =>
      Object.entries(m.sim.requests)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([fn, n]) => ({
          phase: m.phase,
          function: fn,
          kind: isWrite(fn) ? 'write' : 'read',
          requests: n,
          records: m.sim.items[fn] ?? 0,
          'largest batch': isWrite(fn) ? largestBatch(fn) : '—',
          minimum: isWrite(fn) ? Math.ceil((m.sim.items[fn] ?? 0) / largestBatch(fn)) : '—',
        })),
    ),
  );

  const [first, again] = measured;
  const download = measured.find((m) => m.phase === 'download');
  const unchangedDownload = measured.find((m) => m.phase === 'unchanged download');
  const rows: Record<string, string>[] = [];
  const target = (name: string, figure: string, wanted: string, pass: boolean) =>
    rows.push({ target: name, figure, wanted, result: pass ? 'pass' : 'MISS' });
  if (first) {
    const bound = first.sim.serviceMs / MAX_CONCURRENT;
    target(
      'first upload: wall time ÷ lower bound',
      (first.wallMs / bound).toFixed(3),
      '≤ 1.5',
      first.wallMs <= 1.5 * bound,
    );
    const requests = first.reads + first.writes;
    target(
      'first upload: requests ÷ minimum',
      `${(requests / first.minimum).toFixed(3)} (${requests} / ${first.minimum})`,
      '≤ 1.2',
      requests <= 1.2 * first.minimum,
    );
  }
  if (again) {
    target('unchanged re-upload: wall time', s(again.wallMs), '< 2 s', again.wallMs < 2000);
    target('unchanged re-upload: write requests', String(again.writes), '0', again.writes === 0);
  }
  // The download's bound counts the simulator's CPU (issue 21): each gradebook is computed inside its
  // request, holding one of the 4 workers, one answer at a time, so no client can beat service + CPU ÷ 4.
  for (const d of [download, unchangedDownload]) {
    if (!d) continue;
    const serviceOnly = d.sim.serviceMs / MAX_CONCURRENT;
    const bound = (d.sim.serviceMs + d.sim.cpuMs) / MAX_CONCURRENT;
    target(
      `${d.phase}: wall time ÷ (service time + simulator CPU) ÷ ${MAX_CONCURRENT}`,
      `${(d.wallMs / bound).toFixed(3)} (${s(d.wallMs)} / ${s(bound)}; ${(d.wallMs / serviceOnly).toFixed(3)} of service time alone)`,
      '≤ 1.5',
      d.wallMs <= 1.5 * bound,
    );
  }
  if (unchangedDownload)
    target(
      'unchanged download: SQLite rows written',
      String(unchangedDownload.result.rowsWritten ?? '?'),
      '0',
      unchangedDownload.result.rowsWritten === 0,
    );
  const peak = Math.max(...measured.map((m) => m.peakRssMb));
  const maxRss = process.resourceUsage().maxRSS / 1024;
  target(
    'peak RSS (ClassBridge process: main + engine worker)',
    `${Math.round(peak)} MB sampled, ${Math.round(maxRss)} MB maxRSS`,
    '< 400 MB',
    Math.max(peak, maxRss) < 400,
  );
  const p99 = Math.max(...measured.map((m) => m.loopP99Ms));
  target('main-thread event-loop delay p99 (worst phase)', `${p99.toFixed(1)} ms`, '< 50 ms', p99 < 50);
  console.table(rows);
  if (download)
    console.log(
      `Download bound: the table's "lower bound" is the simulated service time only (${download.minimum} gradebooks × ${PER_REQUEST_MS} ms ÷ ${MAX_CONCURRENT} in flight); ` +
        `the targets count the simulator's CPU in it as well (${s(download.sim.cpuMs)} for the download, in its child process), ` +
        `as each answer is computed inside its request. That CPU was made small (answers are encoded without a copy: response-encoding.ts), not cached.`,
    );
}

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === 'engine') {
  await engineWorker();
} else if (process.argv.includes('--sim')) {
  await simProcess();
} else {
  await main();
}
