import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, type SmsSnapshot } from '../../../../../adapters/contract';
import { createAvetmissAdapter } from '../../../../../adapters/sms/avetmiss';
import { readRecord } from '../../../../../adapters/sms/avetmiss/fields';
import { fieldOf, NAT00120 } from '../../../../../adapters/sms/avetmiss/layouts';
import { replaceField } from '../../../../../adapters/sms/avetmiss/writer';
import {
  addActivities,
  gradeStudent,
  startMoodleSim,
  type MoodleSim,
} from '../../../../../adapters/testing/moodle-sim';
import { avetmissFiles, writeAvetmissFolder } from '../../../../../adapters/testing/sms-fixtures/avetmiss';
import { generateSchool, SIZE_S } from '../../../../../adapters/testing/sms-fixtures/school';
import { useTempDirs } from '../../../../test-support/temp';
import {
  CONNECTION_ID,
  connectionFor,
  moodleAdapter,
  openTestStore,
  upload,
} from '../../../../test-support/upload-harness';
import type { SmsConnection } from '../../../model';
import { MemorySecretStore } from '../../../secrets';
import type { Store } from '../../../store/store';
import { trackCourses } from '../../course-tracking';
import { runPart, type PartRunDeps } from '../../run-part';

// The results run end to end: the simulated Moodle over HTTP, the real store, the AVETMISS writer on
// NAT files in the SMS's export folder (a VETtrak whose trainer corrects an outcome).
const tempDir = useTempDirs();
let sim: MoodleSim | undefined;
let store: Store | undefined;
afterEach(async () => {
  store?.close();
  await sim?.close();
});

const readNat = async (folder: string): Promise<SmsSnapshot> =>
  (await createAvetmissAdapter().import({ kind: 'path', path: folder })).snapshot;

async function trainerSets(folder: string, person: string, course: string, outcome: string): Promise<void> {
  const file = join(folder, 'NAT00120.txt');
  const field = fieldOf(NAT00120, 'outcome');
  const lines = (await readFile(file, 'latin1')).split('\r\n').map((line, i) => {
    if (line.trim() === '') return line;
    const values = readRecord(NAT00120, line, { file: 'NAT00120.txt', line: i + 1 }).values;
    return values.clientId === person && values.subjectId === course ? replaceField(line, field, outcome) : line;
  });
  await writeFile(file, lines.join('\r\n'), 'latin1');
}

describe('the results run: conflicts and the review margin', () => {
  it("records a trainer's correction as a run error (once, while it is open) and writes nothing over it", async () => {
    const dir = tempDir();
    const exportFolder = join(dir, 'vettrak-export');
    await writeAvetmissFolder(exportFolder, avetmissFiles(generateSchool({ seed: 11, size: SIZE_S, country: 'au' })));
    const snapshot = await readNat(exportFolder);
    sim = await startMoodleSim();
    const connection = connectionFor(sim, {
      usernameFrom: 'sms-id',
      results: { delivery: 'automatic', reviewMargin: 0.5 },
    });
    store = openTestStore(dir, connection, snapshot);
    const sms: SmsConnection = {
      id: 'sms',
      kind: 'sms',
      provider: 'vettrak',
      name: 'VETtrak',
      source: exportFolder,
      options: { outcomePassPercent: 50, resultsFolder: exportFolder },
    };
    store.connections.save(sms);
    store.settings.save({ ...store.settings.get(), results: { ...store.settings.get().results, autoExport: true } });
    const adapter = moodleAdapter(sim);
    expect((await upload(store, adapter, connection)).outcome).toBe('ok');
    await trackCourses(adapter, store, CONNECTION_ID);
    for (const c of store.lmsCourses.list({ connectionId: CONNECTION_ID }))
      store.lmsCourses.setState(CONNECTION_ID, c.lmsId, 'Open');

    // One student with a continuing (70) unit; the teacher marks its one assessment.
    const activity = snapshot.enrolments.find((e) => e.role === 'student' && e.outcome === '70')!;
    const { personSmsId: person, courseSmsId: course } = activity;
    const lmsUser = [...sim.state.users.values()].find((u) => u.idnumber === person)!;
    const lmsCourse = store.lmsCourses.list({ connectionId: CONNECTION_ID }).find((c) => c.idnumber === course)!;
    const [task] = addActivities(sim.state, lmsCourse.lmsId, [{ name: 'Assessment task', grademax: 100 }]);
    gradeStudent(sim.state, task!.id, lmsUser.id, 80);
    const secrets = new MemorySecretStore();
    await secrets.set(CONNECTION_ID, 'token', sim.token);
    const deps: PartRunDeps = { store, secrets, logger: silentLogger, dataDir: dir };
    const results = () => runPart(deps, CONNECTION_ID, 'results', 'manual');
    const outcome = async () =>
      (await readNat(exportFolder)).enrolments.find((e) => e.personSmsId === person && e.courseSmsId === course)
        ?.outcome;

    expect((await results()).outcome).toBe('ok');
    expect(await outcome()).toBe('20');

    // The trainer sets 30 in VETtrak; its next export is imported.
    await trainerSets(exportFolder, person, course, '30');
    store.snapshot.replace(await readNat(exportFolder), 'nat');
    // The teacher regrades: ClassBridge would write 20 again.
    gradeStudent(sim.state, task!.id, lmsUser.id, 85);
    const run = await results();
    expect(run.outcome).toBe('partial');
    expect(run.message).toContain(
      '1 result waits on the Results page (1 changed in the SMS since ClassBridge delivered them)',
    );
    expect(await outcome()).toBe('30');
    const open = () => store!.runs.listErrors({ connectionId: CONNECTION_ID, part: 'results' });
    const name = snapshot.people.find((p) => p.smsId === person)!;
    expect(open()).toHaveLength(1);
    expect(open()[0]).toMatchObject({ recordKind: 'result', recordKey: `${lmsCourse.lmsId}:${person}` });
    expect(open()[0]!.message).toContain(`${name.givenName} ${name.familyName} (${person}) in ${lmsCourse.fullname}`);

    // Another run: still one open error for the record, not one per run; still not written.
    expect((await results()).outcome).toBe('partial');
    expect(open()).toHaveLength(1);
    expect(await outcome()).toBe('30');

    // The admin keeps the SMS's value: the next run is ok and the error is closed.
    store.resultReviews.decide(
      [{ connectionId: CONNECTION_ID, lmsCourseId: lmsCourse.lmsId, personSmsId: person }],
      'keep-sms',
    );
    const settled = await results();
    expect(settled.outcome).toBe('ok');
    expect(settled.message).toContain('1 kept as the SMS has it');
    expect(open()).toEqual([]);
    expect(await outcome()).toBe('30');

    // Near the pass mark (49.995, which Moodle shows as 50.00): queued, not written.
    gradeStudent(sim.state, task!.id, lmsUser.id, 49.995);
    const near = await results();
    expect(near.outcome).toBe('ok');
    expect(near.message).toContain('1 near the pass mark');
    const [waiting] = store.resultReviews.list({ connectionId: CONNECTION_ID });
    expect(waiting).toMatchObject({ reason: 'margin', newValue: '30', smsValue: '30' });
    expect(waiting!.detail.why).toContain('49.995 % against 50 %');
  }, 60_000);
});
