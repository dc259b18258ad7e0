import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../core/paths/data-dir';
import { openStore } from '../core/store/store';
import { ConnectionSchema } from '../core/model';
import { runCliAsync } from '../test-support/cli';
import { useTempDirs } from '../test-support/temp';

// `classbridge results`, the built command against a data folder with results waiting for a person.
const tempDir = useTempDirs();

function folderWithWaitingResults(): string {
  const dir = tempDir();
  const store = openStore({ file: join(dir, DATABASE_FILE) });
  store.connections.save(
    ConnectionSchema.parse({
      id: 'moodle-main',
      kind: 'lms',
      provider: 'moodle',
      name: 'Moodle',
      url: 'https://m.test',
    }),
  );
  store.snapshot.replace(
    {
      people: [{ smsId: 'S1', role: 'student', givenName: 'Aroha', familyName: 'Ngata', active: true }],
      courses: [{ smsId: 'U1', code: 'U1', name: 'Unit 1' }],
      groups: [],
      enrolments: [],
    },
    'test',
  );
  store.lmsCourses.recordSeen('moodle-main', [{ lmsId: 12, shortname: 'u1', fullname: 'Unit one', idnumber: 'U1' }]);
  store.resultReviews.queue({
    connectionId: 'moodle-main',
    lmsCourseId: 12,
    personSmsId: 'S1',
    courseSmsId: 'U1',
    reason: 'margin',
    contentHash: 'h',
    smsValue: '70',
    deliveredValue: null,
    newValue: '30',
    detail: {
      grade: '50.00',
      gradePercent: 50,
      exactPercent: 49.995,
      passPercent: 50,
      marginPoints: -0.005,
      progressPercent: 100,
      completed: true,
      why: '49.995 % against 50 % (the LMS shows 50.00): 0.005 points below',
    },
  });
  store.close();
  return dir;
}

describe('classbridge results', () => {
  it('lists what waits with the record key, the values and why, and accepts it by that key', async () => {
    const dir = folderWithWaitingResults();
    const list = await runCliAsync(['--data-dir', dir, 'results', 'list']);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toContain('12:S1  margin');
    expect(list.stdout).toContain('Aroha Ngata (S1) in Unit one: SMS 70 → 30 (49.995 % against 50 %');
    const accept = await runCliAsync(['--data-dir', dir, 'results', 'accept', '12:S1']);
    expect(accept.status, accept.stderr).toBe(0);
    expect(accept.stdout).toContain('1 result accepted: the next results delivery writes it to the SMS.');
    expect((await runCliAsync(['--data-dir', dir, 'results', 'list'])).stdout).toContain('No result waits');
    const bad = await runCliAsync(['--data-dir', dir, 'results', 'hold', 'S1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('"S1" is not <lms-course-id>:<sms-person-id>');
  }, 30_000);
});
