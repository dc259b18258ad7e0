import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SmsSnapshot } from '../../../../../adapters/contract';
import { createAvetmissAdapter } from '../../../../../adapters/sms/avetmiss';
import { readRecord } from '../../../../../adapters/sms/avetmiss/fields';
import { fieldOf, NAT00120 } from '../../../../../adapters/sms/avetmiss/layouts';
import { replaceField } from '../../../../../adapters/sms/avetmiss/writer';
import { avetmissFiles, writeAvetmissFolder } from '../../../../../adapters/testing/sms-fixtures/avetmiss';
import { generateSchool, SIZE_S } from '../../../../../adapters/testing/sms-fixtures/school';
import { useTempDirs } from '../../../../test-support/temp';
import { ConnectionSchema, type SmsConnection } from '../../../model';
import { openStore, type Store } from '../../../store/store';
import { resultsDestinationFor } from '../results-destination';
import { deliverReviewedResults } from './deliver-reviewed';

// The real AVETMISS writer and reader on NAT files, the real store: a VETtrak-style SMS whose trainer
// corrects an outcome ClassBridge delivered.
const tempDir = useTempDirs();
const LMS = 'moodle-main';
let store: Store | undefined;
afterEach(() => store?.close());

const readNat = async (folder: string): Promise<SmsSnapshot> =>
  (await createAvetmissAdapter().import({ kind: 'path', path: folder })).snapshot;

/** The outcome the SMS export holds for one activity. */
async function outcomeIn(folder: string, person: string, course: string): Promise<string | undefined> {
  const snapshot = await readNat(folder);
  return snapshot.enrolments.find((e) => e.personSmsId === person && e.courseSmsId === course)?.outcome;
}

/** A trainer sets an outcome in the SMS, which its next NAT export carries. */
async function trainerSets(folder: string, person: string, course: string, outcome: string): Promise<void> {
  const file = join(folder, 'NAT00120.txt');
  const lines = (await readFile(file, 'latin1')).split('\r\n');
  const field = fieldOf(NAT00120, 'outcome');
  const edited = lines.map((line, i) => {
    if (line.trim() === '') return line;
    const values = readRecord(NAT00120, line, { file: 'NAT00120.txt', line: i + 1 }).values;
    return values.clientId === person && values.subjectId === course ? replaceField(line, field, outcome) : line;
  });
  await writeFile(file, edited.join('\r\n'), 'latin1');
}

describe("AVETMISS: a trainer's SMS correction is not overwritten", () => {
  it('raises a conflict naming the person and course, leaves the NAT00120 as the SMS has it, and writes once accepted', async () => {
    const exportFolder = join(tempDir(), 'vettrak-export');
    await writeAvetmissFolder(exportFolder, avetmissFiles(generateSchool({ seed: 11, size: SIZE_S, country: 'au' })));
    const snapshot = await readNat(exportFolder);
    const activity = snapshot.enrolments.find((e) => e.role === 'student' && e.outcome === '70')!;
    const { personSmsId: person, courseSmsId: course } = activity;
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
    expect(destination.outcomes?.passPercent).toBe(50);
    const save = (gradePercent: number) =>
      store!.results.upsert({
        connectionId: LMS,
        lmsCourseId: 40,
        personSmsId: person,
        progressPercent: 100,
        grade: gradePercent.toFixed(2),
        gradePercent,
        gradeExact: gradePercent,
        activities: [],
      });
    const deliver = () => deliverReviewedResults(store!, LMS, destination);

    // ClassBridge delivers competent (20) into the export folder's NAT00120, which the SMS imports.
    save(80);
    expect((await deliver()).delivered).toBe(1);
    expect(await outcomeIn(exportFolder, person, course)).toBe('20');

    // The trainer corrects it to 30 (not yet competent) in the SMS; ClassBridge imports the export.
    await trainerSets(exportFolder, person, course, '30');
    store.snapshot.replace(await readNat(exportFolder), 'nat');
    const before = await readFile(join(exportFolder, 'NAT00120.txt'));

    // The teacher regrades in the LMS: ClassBridge would write 20 again. It does not.
    save(85);
    const summary = await deliver();
    expect(summary.delivered).toBe(0);
    expect(summary.conflicts).toHaveLength(1);
    const name = snapshot.people.find((p) => p.smsId === person)!;
    expect(summary.conflicts[0]!.message).toContain(`${name.givenName} ${name.familyName} (${person})`);
    expect(summary.conflicts[0]!.message).toContain(`(${course})`);
    expect(summary.conflicts[0]!.message).toContain('the SMS has outcome 30, but ClassBridge last delivered 20');
    expect(await readFile(join(exportFolder, 'NAT00120.txt'))).toEqual(before);
    expect(await outcomeIn(exportFolder, person, course)).toBe('30');

    // The admin accepts the LMS value: the next delivery writes it.
    store.resultReviews.decide([{ connectionId: LMS, lmsCourseId: 40, personSmsId: person }], 'accept');
    expect((await deliver()).delivered).toBe(1);
    expect(await outcomeIn(exportFolder, person, course)).toBe('20');
  });
});
