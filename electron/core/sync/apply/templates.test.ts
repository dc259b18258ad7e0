import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import {
  moodleAdapter,
  syntheticSchool,
  upload,
  useFreshSite,
  writeRequests,
  type MoodleSim,
} from '../../../test-support/upload-harness';
import { DEFAULT_SETTINGS, type Snapshot } from '../../model';
import { previewUpload } from '../upload/preview-upload';

const tempDir = useTempDirs();
const site = useFreshSite(tempDir);

const TEMPLATES = {
  usernameTemplate: '{first}.{last|alnum}{n}',
  emailTemplate: '{first}.{last|alnum}{n}@students.school.nz',
  courseFullnameTemplate: '{name} {year}',
  courseShortnameTemplate: '{code}',
};

/** Two Anna Smiths, a name with macrons and an apostrophe, a teacher: two courses. */
function school(): Snapshot {
  const s = syntheticSchool(3, 2);
  const names: [string, string][] = [
    ['Anna', 'Smith'],
    ['Anna', 'Smith'],
    ['Ānaru', "Ngātai-O'Brien"],
  ];
  for (const [i, [given, family]] of names.entries()) {
    const p = s.people.find((x) => x.smsId === `S${i}`)!;
    p.givenName = given;
    p.familyName = family;
  }
  for (const c of s.courses) c.startDate = '2026-02-02';
  return s;
}

function users(sim: MoodleSim): string[] {
  return [...sim.state.users.values()]
    .filter((u) => !u.deleted && u.email.endsWith('@students.school.nz')) // the simulator's own users aside
    .map((u) => `${u.username} ${u.email}`)
    .sort();
}

describe('name templates against the Moodle simulator (a fresh site: no participants, new courses)', () => {
  it('creates templated accounts and course names, a second run changes nothing, a newcomer renames nobody', async () => {
    const snapshot = school();
    const { sim, store, connection } = await site.open(TEMPLATES, snapshot);

    // The dry run shows the templates' results on the first records before anything is written.
    const dry = previewUpload(store, connection, DEFAULT_SETTINGS);
    expect(dry.names?.slice(0, 3)).toEqual([
      {
        kind: 'person',
        key: 'S0',
        name: 'Anna Smith',
        values: { username: 'anna.smith', email: 'anna.smith@students.school.nz' },
      },
      {
        kind: 'person',
        key: 'S1',
        name: 'Anna Smith',
        values: { username: 'anna.smith2', email: 'anna.smith2@students.school.nz' },
      },
      {
        kind: 'person',
        key: 'S2',
        name: "Ānaru Ngātai-O'Brien",
        values: { username: 'anaru.ngataiobrien', email: 'anaru.ngataiobrien@students.school.nz' },
      },
    ]);
    expect(dry.names?.find((n) => n.kind === 'course')?.values).toEqual({
      fullname: 'Synthetic course 0 2026',
      shortname: 'SYN0-2026',
    });
    expect(writeRequests(sim)).toBe(0);

    const first = await upload(store, moodleAdapter(sim), connection);
    expect(first.outcome).toBe('ok');
    expect(users(sim)).toEqual([
      'anaru.ngataiobrien anaru.ngataiobrien@students.school.nz',
      'anna.smith anna.smith@students.school.nz',
      'anna.smith2 anna.smith2@students.school.nz',
      'tina.teacher tina.teacher@students.school.nz',
    ]);
    const course = [...sim.state.courses.values()].find((c) => c.idnumber === 'SYN0-2026');
    expect(course?.fullname).toBe('Synthetic course 0 2026');

    sim.resetCounters();
    const second = await upload(store, moodleAdapter(sim), connection);
    expect(second.outcome).toBe('ok');
    expect(writeRequests(sim)).toBe(0);

    // A third Anna Smith, whose SMS id sorts first: she gets the next suffix, nobody else is renamed.
    const later = structuredClone(snapshot);
    later.people.push({ smsId: 'A0', role: 'student', givenName: 'Anna', familyName: 'Smith', active: true });
    store.snapshot.replace(later, 'test');
    sim.resetCounters();
    const third = await upload(store, moodleAdapter(sim), connection);
    expect(third.outcome).toBe('ok');
    expect(sim.requestCount('core_user_update_users')).toBe(0);
    expect(users(sim)).toContain('anna.smith3 anna.smith3@students.school.nz');
    expect(users(sim).filter((u) => u.startsWith('anna.smith'))).toHaveLength(3);
  });
});
