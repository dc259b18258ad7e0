import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, type SmsSnapshot } from '../../../../../adapters/contract';
import { createAvetmissAdapter } from '../../../../../adapters/sms/avetmiss';
import { readRecord } from '../../../../../adapters/sms/avetmiss/fields';
import { fieldOf, NAT00120 } from '../../../../../adapters/sms/avetmiss/layouts';
import { replaceField } from '../../../../../adapters/sms/avetmiss/writer';
import { avetmissFiles, writeAvetmissFolder } from '../../../../../adapters/testing/sms-fixtures/avetmiss';
import { generateSchool, SIZE_S } from '../../../../../adapters/testing/sms-fixtures/school';
import {
  addActivities,
  gradeStudent,
  startMoodleSim,
  type MoodleSim,
} from '../../../../../adapters/testing/moodle-sim';
import { useTempDirs } from '../../../../test-support/temp';
import {
  CONNECTION_ID,
  connectionFor,
  moodleAdapter,
  openTestStore,
  upload,
} from '../../../../test-support/upload-harness';
import { MemorySecretStore } from '../../../secrets';
import { trackCourses } from '../../course-tracking';
import { runPart, type PartRunDeps } from '../../run-part';
import { ConnectionSchema, type SmsConnection } from '../../../model';
import { openStore, type Store } from '../../../store/store';
import { resultsDestinationFor } from '../results-destination';
import { deliverReviewedResults } from './deliver-reviewed';

// The real AVETMISS writer on NAT files and the real store: a result for an activity that has not started.
const tempDir = useTempDirs();
const LMS = 'moodle-main';
let store: Store | undefined;
let sim: MoodleSim | undefined;
afterEach(async () => {
  store?.close();
  await sim?.close();
  sim = undefined;
});

const readNat = async (folder: string): Promise<SmsSnapshot> =>
  (await createAvetmissAdapter().import({ kind: 'path', path: folder })).snapshot;

/** The SMS moves one activity's start date (ISO), as its next NAT export carries it. */
async function setStart(folder: string, person: string, course: string, start: string, end: string): Promise<void> {
  const file = join(folder, 'NAT00120.txt');
  const lines = (await readFile(file, 'latin1')).split('\r\n');
  const edited = lines.map((line, i) => {
    if (line.trim() === '') return line;
    const values = readRecord(NAT00120, line, { file: 'NAT00120.txt', line: i + 1 }).values;
    if (values.clientId !== person || values.subjectId !== course) return line;
    return replaceField(replaceField(line, fieldOf(NAT00120, 'startDate'), start), fieldOf(NAT00120, 'endDate'), end);
  });
  await writeFile(file, edited.join('\r\n'), 'latin1');
}

describe('AVETMISS: a result for an activity not yet started', () => {
  it('is not written, is a result error naming the person and unit, and goes out once the activity has started', async () => {
    const exportFolder = join(tempDir(), 'vettrak-export');
    await writeAvetmissFolder(exportFolder, avetmissFiles(generateSchool({ seed: 11, size: SIZE_S, country: 'au' })));
    const first = await readNat(exportFolder);
    const activity = first.enrolments.find((e) => e.role === 'student' && e.outcome === '70')!;
    const { personSmsId: person, courseSmsId: course } = activity;
    // Enrolled for next year: the activity starts long after today.
    await setStart(exportFolder, person, course, '2099-02-01', '2099-06-30');
    const snapshot = await readNat(exportFolder);
    const dataDir = tempDir();
    store = openStore({ file: join(dataDir, 'cb.db') });
    store.connections.save(
      ConnectionSchema.parse({ id: LMS, kind: 'lms', provider: 'moodle', name: 'Moodle', url: 'https://lms.test' }),
    );
    store.snapshot.replace(snapshot, 'nat');
    const smsCourse = snapshot.courses.find((c) => c.smsId === course)!;
    store.lmsCourses.recordSeen(LMS, [
      { lmsId: 40, shortname: 'U', fullname: smsCourse.name, idnumber: smsCourse.code },
    ]);
    const sms: SmsConnection = {
      id: 'sms',
      kind: 'sms',
      provider: 'vettrak',
      name: 'VETtrak',
      source: exportFolder,
      options: { outcomePassPercent: 50, resultsFolder: exportFolder },
    };
    const destination = resultsDestinationFor(sms, LMS, dataDir, { results: { autoExport: true } });
    store.results.upsert({
      connectionId: LMS,
      lmsCourseId: 40,
      personSmsId: person,
      progressPercent: 100,
      grade: '80.00',
      gradePercent: 80,
      gradeExact: 80,
      activities: [],
    });
    const before = await readFile(join(exportFolder, 'NAT00120.txt'));
    const deliver = () => deliverReviewedResults(store!, LMS, destination);

    const summary = await deliver();
    expect(summary.delivered).toBe(0);
    expect(summary.refused).toHaveLength(1);
    const name = snapshot.people.find((p) => p.smsId === person)!;
    expect(summary.refused[0]).toMatchObject({ recordKind: 'result', recordKey: `40:${person}` });
    expect(summary.refused[0]!.message).toContain(`${name.givenName} ${name.familyName} (${person})`);
    expect(summary.refused[0]!.message).toContain(`(unit ${course})`);
    expect(summary.refused[0]!.message).toContain('starts on 2099-02-01');
    expect(await readFile(join(exportFolder, 'NAT00120.txt'))).toEqual(before);
    // Not marked delivered: offered again.
    expect(store.results.undelivered(LMS)).toHaveLength(1);

    // The SMS corrects the start date (the activity has begun): the same result now goes out.
    await setStart(exportFolder, person, course, '2026-02-02', '2026-06-30');
    store.snapshot.replace(await readNat(exportFolder), 'nat');
    const next = await deliver();
    expect(next.refused).toHaveLength(0);
    expect(next.delivered).toBe(1);
    const written = (await readNat(exportFolder)).enrolments.find(
      (e) => e.personSmsId === person && e.courseSmsId === course,
    );
    expect(written?.outcome).toBe('20');
    expect(written!.endDate! >= written!.startDate!).toBe(true);
  });

  it('the results run: a partial run with one result error for the row, nothing written, and the same on the next run', async () => {
    const dir = tempDir();
    const exportFolder = join(dir, 'vettrak-export');
    await writeAvetmissFolder(exportFolder, avetmissFiles(generateSchool({ seed: 11, size: SIZE_S, country: 'au' })));
    const snapshot = await readNat(exportFolder);
    sim = await startMoodleSim();
    const connection = connectionFor(sim, { usernameFrom: 'sms-id' });
    store = openTestStore(dir, connection, snapshot);
    store.connections.save({
      id: 'sms',
      kind: 'sms',
      provider: 'vettrak',
      name: 'VETtrak',
      source: exportFolder,
      options: { outcomePassPercent: 50, resultsFolder: exportFolder },
    });
    store.settings.save({ ...store.settings.get(), results: { ...store.settings.get().results, autoExport: true } });
    const adapter = moodleAdapter(sim);
    expect((await upload(store, adapter, connection)).outcome).toBe('ok');
    await trackCourses(adapter, store, CONNECTION_ID);
    for (const c of store.lmsCourses.list({ connectionId: CONNECTION_ID }))
      store.lmsCourses.setState(CONNECTION_ID, c.lmsId, 'Open');
    const activity = snapshot.enrolments.find((e) => e.role === 'student' && e.outcome === '70')!;
    const { personSmsId: person, courseSmsId: course } = activity;
    const lmsUser = [...sim.state.users.values()].find((u) => u.idnumber === person)!;
    const lmsCourse = store.lmsCourses.list({ connectionId: CONNECTION_ID }).find((c) => c.idnumber === course)!;
    const [task] = addActivities(sim.state, lmsCourse.lmsId, [{ name: 'Assessment task' }]);
    gradeStudent(sim.state, task!.id, lmsUser.id, 80);
    // The SMS re-dates the unit to next year (the LMS enrolment stays): its next export is imported.
    await setStart(exportFolder, person, course, '2099-02-01', '2099-06-30');
    store.snapshot.replace(await readNat(exportFolder), 'nat');
    const before = await readFile(join(exportFolder, 'NAT00120.txt'));
    const secrets = new MemorySecretStore();
    await secrets.set(CONNECTION_ID, 'token', sim.token);
    const deps: PartRunDeps = { store, secrets, logger: silentLogger, dataDir: dir };
    const errors = () => store!.runs.listErrors({ connectionId: CONNECTION_ID, part: 'results' });

    const run = await runPart(deps, CONNECTION_ID, 'results', 'manual');
    expect(run.outcome).toBe('partial');
    expect(run.message).toContain(
      "1 not written for now (its row in the SMS's file cannot take it yet; see the errors)",
    );
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatchObject({ recordKind: 'result', recordKey: `${lmsCourse.lmsId}:${person}` });
    expect(errors()[0]!.message).toContain(
      `in ${lmsCourse.fullname} (unit ${course}): not written: the activity starts on 2099-02-01`,
    );
    expect(errors()[0]!.fix).toContain('once the activity has started');
    expect(await readFile(join(exportFolder, 'NAT00120.txt'))).toEqual(before);

    // Offered again, refused again: still one open error, not one per run.
    expect((await runPart(deps, CONNECTION_ID, 'results', 'manual')).outcome).toBe('partial');
    expect(errors()).toHaveLength(1);
  });
});
