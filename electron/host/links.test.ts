// The admin's link decisions through the real `classbridge` command: an upload finds hand-made LMS
// accounts with students' usernames, leaves them alone, lists them; Link / Create / Skip then upload.
import { describe, expect, it } from 'vitest';
import { seedUser, startMoodleSim, type MoodleSim, type SimUser } from '../../adapters/testing/moodle-sim';
import { runCliAsync } from '../test-support/cli';
import { setUpSchoolWithLms } from '../test-support/school-with-lms';
import { useTempDirs } from '../test-support/temp';

const tempDir = useTempDirs();

interface Decision {
  id: number;
  smsId: string;
  lmsUserId: number;
  state: string;
  linkable: boolean;
  suggestedUsername: string | null;
  appliedAt: string | null;
}

function handMade(sim: MoodleSim, username: string): SimUser {
  const id = sim.state.sequences.user++;
  const user = seedUser({
    id,
    username,
    firstname: 'Staff',
    lastname: `Member ${id}`,
    email: `staff${id}@school.example`,
    idnumber: '',
  });
  sim.state.users.set(id, user);
  return user;
}

describe('classbridge links', () => {
  it('lists existing accounts side by side; Link, Create with another username and Skip are carried out by the next upload', async () => {
    const sim = await startMoodleSim();
    try {
      const { dataDir, school } = await setUpSchoolWithLms(tempDir(), sim, 61);
      const [toLink, toCreate, toSkip] = school.students.filter((s) => s.active).slice(0, 3);
      const accounts = [toLink!, toCreate!, toSkip!].map((s) => handMade(sim, s.username));
      const before = accounts.map((a) => structuredClone(a));
      // The username rule's next free name: jsmith2, or jsmith1-2 after a digit.
      const nextName = /\d$/.test(toCreate!.username) ? `${toCreate!.username}-2` : `${toCreate!.username}2`;
      const cli = (...args: string[]) => runCliAsync(['--data-dir', dataDir, ...args]);

      const first = await cli('sync', 'upload');
      expect(first.stdout).toContain('classbridge links list');
      // Nothing written to the hand-made accounts.
      for (const [i, a] of accounts.entries()) expect(sim.state.users.get(a.id)).toEqual(before[i]);

      // `status` says they wait, and where to decide.
      expect((await cli('status')).stdout).toContain(
        'Existing LMS accounts waiting for your decision: 3 — see `classbridge links list`',
      );
      const listed = await cli('links', 'list');
      expect(listed.status, listed.stderr).toBe(0);
      expect(listed.stdout).toContain(`person ${toLink!.id}: same username, no idnumber`);
      expect(listed.stdout).toMatch(new RegExp(`first name\\s+${toLink!.givenName}\\s+Staff`));
      expect(listed.stdout).toContain(`classbridge links link `);
      const decisions = JSON.parse((await cli('--json', 'links', 'list')).stdout) as Decision[];
      expect(decisions.map((d) => d.smsId).sort()).toEqual([toLink!.id, toCreate!.id, toSkip!.id].sort());
      const of = (smsId: string) => decisions.find((d) => d.smsId === smsId)!;

      expect((await cli('links', 'link', String(of(toLink!.id).id))).status).toBe(0);
      const created = await cli('links', 'create', String(of(toCreate!.id).id));
      expect(created.status, created.stderr).toBe(0);
      expect(created.stdout).toContain(`creates a new account ${nextName}`);
      expect((await cli('links', 'skip', String(of(toSkip!.id).id))).status).toBe(0);
      // An unknown decision is a failed command that says what there is.
      const unknown = await cli('links', 'skip', '999');
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toContain('There is no link decision 999');

      await cli('sync', 'upload');

      const users = [...sim.state.users.values()].filter((u) => !u.deleted);
      // Link: the account is the student's now, in line with the SMS.
      expect(sim.state.users.get(accounts[0]!.id)).toMatchObject({
        idnumber: toLink!.id,
        firstname: toLink!.givenName,
        email: toLink!.email,
      });
      expect(users.filter((u) => u.username === toLink!.username)).toHaveLength(1);
      // Create: a new account with the next free username; the hand-made one as it was.
      expect(sim.state.users.get(accounts[1]!.id)).toEqual(before[1]);
      expect(users.filter((u) => u.username === `${nextName}`)).toMatchObject([{ idnumber: toCreate!.id }]);
      // Skip: nothing created, nothing changed.
      expect(sim.state.users.get(accounts[2]!.id)).toEqual(before[2]);
      expect(users.filter((u) => u.idnumber === toSkip!.id)).toHaveLength(0);

      const after = JSON.parse((await cli('--json', 'links', 'list')).stdout) as Decision[];
      expect(after.map((d) => [d.smsId, d.state])).toEqual([[toSkip!.id, 'skip']]);
    } finally {
      await sim.close();
    }
  });
});
