import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTOR_TOKEN, defaultSeed } from '../../adapters/testing/moodle-sim';
import { generateSchool } from '../../adapters/testing/sms-fixtures';
import { KeychainSecretStore } from '../core/secrets';
import { REPO_ROOT, runCli } from '../test-support/cli';
import { useTempDirs } from '../test-support/temp';
import { DEMO_LMS_ID, DEMO_SCHOOL, DEMO_SMS_ID } from './commands/demo';

// The built `classbridge demo`, in a child process, as a newcomer runs it.
const tempDir = useTempDirs();
const BIN = join(REPO_ROOT, 'bin', 'classbridge.mjs');

const school = generateSchool({ seed: DEMO_SCHOOL.seed, country: DEMO_SCHOOL.country, size: DEMO_SCHOOL.size });
const people = school.students.length + school.staff.length;
/** A student per enrolment, and the class's teacher in each course (one class per course). */
const enrolments = school.enrolments.length + school.classes.length;
/** The lab site's own courses, besides the school's (the site course is no course). */
const otherCourses = defaultSeed().courses.length - 1;

/** Every file under a folder, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

/** A home, a config folder and a temp folder of our own, so any stray write would show. */
function isolatedEnv(dir: string): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.CLASSBRIDGE_DATA_DIR;
  for (const name of ['home', 'config', 'tmp']) mkdirSync(join(dir, name));
  return { ...env, HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'config'), TMPDIR: join(dir, 'tmp') };
}

describe('classbridge demo --once', () => {
  it('runs a whole sync whose counts match the generated school, writing only into the demo folder', async () => {
    // The counts below assume every student is active, as in this seed.
    expect(school.students.every((s) => s.active)).toBe(true);
    const dir = tempDir();
    const env = isolatedEnv(dir);
    const demoDir = join(dir, 'demo');
    const started = Date.now();
    const result = runCli(['--data-dir', demoDir, 'demo', '--once'], { env });
    const seconds = (Date.now() - started) / 1000;
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(seconds).toBeLessThan(20);
    const out = result.stdout;

    expect(out).toContain(`Demo folder: ${demoDir}`);
    expect(out).toMatch(/ClassBridge headless host: http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/);
    expect(out).toContain('what an admin would do');
    expect(out).toContain(
      `${school.students.length} students, ${school.staff.length} teachers, ${school.courses.length} courses`,
    );
    expect(out).toContain('Test connection: ok');
    expect(out).toContain(`Import the SMS export: ${people} people, ${school.courses.length} courses`);
    expect(out).toContain(`${enrolments} enrolments.`);
    expect(out).toContain(
      `Course list: ${school.courses.length + otherCourses} courses in the LMS: ${school.courses.length + otherCourses} new`,
    );
    expect(out).toContain(
      `Mark the school's ${school.courses.length} courses Open (the other ${otherCourses} stay New`,
    );
    expect(out).toContain(`Upload: ${people + enrolments} created, 0 updated, 0 removed, 0 unchanged.`);
    expect(out).toContain(`Moodle now has ${people} of the school's people and ${enrolments} of its enrolments.`);
    expect(out).toMatch(/teachers mark work \(the demo plays them\): \d+ grades in \d+ activities/);
    expect(out).toContain(
      `Download: ${school.enrolments.length} results from ${school.courses.length} open courses, ${school.enrolments.length} changed`,
    );
    expect(out).not.toContain(' ! ');
    const progress = /Average progress (\d+) %/.exec(out);
    expect(Number(progress?.[1])).toBeGreaterThan(0);
    expect(Number(progress?.[1])).toBeLessThan(100);
    expect(out).toMatch(/Whole sync done in [\d.]+ s\./);

    // Results for the SMS, one line per student enrolment.
    const csv = readFileSync(join(demoDir, 'results', DEMO_LMS_ID, 'results.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv).toHaveLength(school.enrolments.length + 1);

    // Nothing outside the demo folder: not the home or config folder, not the temp folder, not the keychain.
    for (const name of ['home', 'config', 'tmp']) expect(filesUnder(join(dir, name)), name).toEqual([]);
    expect(filesUnder(demoDir)).toEqual(expect.arrayContaining(['classbridge.db', 'sample-school/oneroster.zip']));
    // The simulator's token is in no file of the demo folder either (database, logs): only in memory.
    for (const file of filesUnder(demoDir)) {
      expect(readFileSync(join(demoDir, file)).includes(DEFAULT_CONNECTOR_TOKEN), file).toBe(false);
    }
    const keychain = new KeychainSecretStore();
    expect(await keychain.listNames(DEMO_LMS_ID)).toEqual([]);
    expect(await keychain.listNames(DEMO_SMS_ID)).toEqual([]);
  }, 30_000);

  it('works without any OS keychain, uses a new temporary folder by default, and refuses a --data-dir that is not empty', () => {
    const dir = tempDir();
    // No session bus: what a server without a desktop session looks like (the keychain is unreachable).
    const env = isolatedEnv(dir);
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const result = runCli(['demo', '--once', '--json'], { env });
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout) as { dataDir: string; download: { results: number } };
    expect(summary.dataDir.startsWith(join(dir, 'tmp', 'classbridge-demo-'))).toBe(true);
    expect(summary.download.results).toBe(school.enrolments.length);
    expect(readdirSync(join(dir, 'tmp'))).toHaveLength(1);
    expect(filesUnder(join(dir, 'home'))).toEqual([]);

    const used = join(dir, 'used');
    mkdirSync(used);
    writeFileSync(join(used, 'classbridge.db'), 'real data');
    const refused = runCli(['--data-dir', used, 'demo', '--once'], { env });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('needs an empty folder');
    expect(readFileSync(join(used, 'classbridge.db'), 'utf8')).toBe('real data');
    expect(readdirSync(used)).toEqual(['classbridge.db']);
  }, 30_000);
});

/** Starts the demo and hands back each line it prints as it comes. */
function startDemo(args: readonly string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { match: RegExp; resolve: (line: string) => void }[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const w of waiters.splice(0)) {
      if (w.match.test(line)) w.resolve(line);
      else waiters.push(w);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = (match: RegExp): Promise<string> => {
    const seen = lines.find((l) => match.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      waiters.push({ match, resolve });
      void exited.then((code) => reject(new Error(`demo exited (${code}) before ${match}: ${stderr}`)));
    });
  };
  return { child, lines, waitFor, exited, stderr: () => stderr };
}

describe('classbridge demo (serving)', () => {
  it('serves the UI after the sync, with schedules on, and stops cleanly on SIGTERM', async () => {
    const demo = startDemo(['--data-dir', join(tempDir(), 'demo'), 'demo', '--step-delay', '0']);
    const serving = await demo.waitFor(/^Still serving at /);
    const url = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([\w-]+)/.exec(serving);
    if (!url?.[1]) throw new Error(`no URL in: ${serving}`);
    const moodle = /Simulated Moodle: (http:\/\/127\.0\.0\.1:\d+)/.exec(demo.lines.join('\n'))?.[1];

    const page = await fetch(url[0]);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"');
    const status = await fetch(`${url[1]}/api/status:get`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${url[2]}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    const body = (await status.json()) as {
      result: { setUp: boolean; paused: boolean; lms: { parts: { part: string; health: string }[] }[] };
    };
    expect(body.result).toMatchObject({ setUp: true, paused: false });
    const health = Object.fromEntries(body.result.lms[0]?.parts.map((p) => [p.part, p.health]) ?? []);
    expect(health).toMatchObject({ upload: 'ok', results: 'ok', 'course-tracking': 'ok' });

    demo.child.kill('SIGTERM');
    expect(await demo.exited).toBe(0);
    expect(demo.lines).toContain('Stopping the demo.');
    // The simulator went with it.
    await expect(fetch(`${moodle}/webservice/rest/server.php`)).rejects.toThrow();
  }, 30_000);

  it('stops cleanly on Ctrl+C in the middle of the walk-through', async () => {
    const demo = startDemo(['--data-dir', join(tempDir(), 'demo'), 'demo', '--step-delay', '60000']);
    await demo.waitFor(/^ClassBridge headless host: /);
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    expect(demo.lines).toContain('Stopped before the end of the demo.');
    expect(demo.stderr()).toBe('');
  }, 30_000);
});
