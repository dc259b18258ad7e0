/**
 * Parents and guardians from OneRoster (build-guardians.ts): users with role guardian / parent / relative
 * (users.role in 1.1, roles.csv in 1.2) and the agentSourcedIds that link them to students, as the
 * fixture writer puts them in a real CSV set.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { oneRosterFiles } from '../../testing/sms-fixtures/oneroster';
import { withGuardians } from '../../testing/sms-fixtures/guardians';
import { cleanTempDirs, importFolder, school, withFile } from '../../testing/sms-support/oneroster';
import { normaliseSnapshot } from '../../../electron/core/sms/normalise-snapshot';

afterAll(cleanTempDirs);

const family = withGuardians(school, { noEmailEvery: 3 });
const guardians = family.guardians!;

describe('OneRoster parents and guardians', () => {
  for (const version of ['1.1', '1.2'] as const) {
    it(`${version}: guardians are kept apart from people, with their email, role and children`, async () => {
      const { snapshot, warnings } = await importFolder(oneRosterFiles(family, { version }));
      expect(snapshot.people).toHaveLength(school.students.length + school.staff.length);
      expect(snapshot.people.some((p) => p.smsId.startsWith('gdn-'))).toBe(false);
      expect(snapshot.guardians).toHaveLength(guardians.length);
      const first = guardians[0]!;
      expect(snapshot.guardians).toContainEqual({
        smsId: first.id,
        givenName: first.givenName,
        familyName: first.familyName,
        ...(first.email ? { email: first.email } : {}),
        relationship: first.oneRosterRole,
      });
      const expected = guardians.flatMap((g) => g.studentIds.map((s) => `${g.id}>${s}`)).sort();
      expect(snapshot.guardianLinks!.map((l) => `${l.guardianSmsId}>${l.childSmsId}`).sort()).toEqual(expected);
      // A guardian with two children (siblings) is one guardian, two links.
      expect(guardians.some((g) => g.studentIds.length === 2)).toBe(true);
      expect(warnings.some((w) => w.message.includes('parents and guardians'))).toBe(true);
      // The intake accepts what the reader made.
      expect(normaliseSnapshot(snapshot).guardianLinks).toHaveLength(expected.length);
    });
  }

  it('reads a link declared on the student side only (the student row names the guardian)', async () => {
    const files = withFile(oneRosterFiles(school, { version: '1.1' }), 'users.csv', (t) => {
      const lines = t.trimEnd().split('\n');
      const header = lines[0]!.split(',');
      const agentsAt = header.indexOf('agentSourcedIds');
      const studentAt = lines.findIndex((l) => l.startsWith(`${school.students[0]!.id},`));
      const cells = lines[studentAt]!.split(',');
      cells[agentsAt] = 'G9';
      lines[studentAt] = cells.join(',');
      const guardian = header.map(
        (h) =>
          ({
            sourcedId: 'G9',
            status: 'active',
            enabledUser: 'true',
            orgSourcedIds: 'org-school',
            role: 'Guardian',
            username: 'g9',
            givenName: 'Mere',
            familyName: 'Parata',
            email: 'mere@home.example',
          })[h] ?? '',
      );
      return [...lines, guardian.join(',')].join('\n');
    });
    const { snapshot } = await importFolder(files);
    expect(snapshot.guardians).toEqual([
      { smsId: 'G9', givenName: 'Mere', familyName: 'Parata', email: 'mere@home.example', relationship: 'guardian' },
    ]);
    expect(snapshot.guardianLinks).toEqual([{ guardianSmsId: 'G9', childSmsId: school.students[0]!.id }]);
  });

  it('a delta: a tobedeleted guardian and their links go, a changed guardian gets the links its row names', async () => {
    const { snapshot: base } = await importFolder(oneRosterFiles(family, { version: '1.1' }));
    const [gone, moved] = guardians.filter((g) => g.studentIds.length === 1);
    const otherChild = school.students.find((s) => !moved!.studentIds.includes(s.id))!.id;
    const users = [
      'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,givenName,familyName,email,agentSourcedIds',
      `${gone!.id},tobedeleted,2026-02-01T00:00:00Z,true,org-school,parent,x,x,x,,`,
      `${moved!.id},active,2026-02-01T00:00:00Z,true,org-school,guardian,${moved!.id},${moved!.givenName},${moved!.familyName},new@home.example,${otherChild}`,
    ].join('\n');
    const manifest = ['propertyName,value', 'manifest.version,1.0', 'oneroster.version,1.1', 'file.users,delta'].join(
      '\n',
    );
    const { snapshot } = await importFolder({ 'manifest.csv': manifest, 'users.csv': users }, { base });
    expect(snapshot.guardians!.some((g) => g.smsId === gone!.id)).toBe(false);
    expect(snapshot.guardians!.find((g) => g.smsId === moved!.id)).toMatchObject({
      email: 'new@home.example',
      relationship: 'guardian',
    });
    const linksOf = (id: string) =>
      snapshot.guardianLinks!.filter((l) => l.guardianSmsId === id).map((l) => l.childSmsId);
    expect(linksOf(gone!.id)).toEqual([]);
    expect(linksOf(moved!.id)).toEqual([otherChild]);
    expect(snapshot.guardianLinks).toHaveLength(base.guardianLinks!.length - 1);
  });

  it('a school without guardians has none in its snapshot (the fields stay absent)', async () => {
    const { snapshot } = await importFolder(oneRosterFiles(school, { version: '1.2' }));
    expect(snapshot.guardians).toBeUndefined();
    expect(snapshot.guardianLinks).toBeUndefined();
  });
});
