import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { avetmissFiles, writeAvetmissFolder } from '../../adapters/testing/sms-fixtures/avetmiss';
import { combinedCsv } from '../../adapters/testing/sms-fixtures/csv';
import { kamarFullPush } from '../../adapters/testing/sms-fixtures/kamar';
import { oneRosterFiles, zipBytes } from '../../adapters/testing/sms-fixtures/oneroster';
import { generateSchool } from '../../adapters/testing/sms-fixtures/school';
import { runCli } from '../test-support/cli';
import { useTempDirs } from '../test-support/temp';

// `classbridge check` and `import` on real export files of every format, as an admin runs them.
const tempDir = useTempDirs();
const nz = generateSchool({ seed: 11 });
const au = generateSchool({ seed: 12, country: 'au' });

async function exportsIn(dir: string): Promise<Record<string, string>> {
  const nat = join(dir, 'nat');
  await writeAvetmissFolder(nat, avetmissFiles(au));
  const oneroster = join(dir, 'roster.zip');
  writeFileSync(oneroster, zipBytes(oneRosterFiles(nz)));
  const csv = join(dir, 'students.csv');
  writeFileSync(csv, combinedCsv(nz));
  const kamar = join(dir, 'kamar-push.json');
  writeFileSync(kamar, JSON.stringify(kamarFullPush(nz, { chunks: 2 })));
  return { nat, oneroster, csv, kamar };
}

describe('classbridge check', () => {
  it('recognises and validates every format, printing what it found (exit 0)', async () => {
    const files = await exportsIn(tempDir());
    const nat = runCli(['check', files.nat ?? '']);
    expect(nat.status).toBe(0);
    expect(nat.stdout).toContain(`valid AVETMISS NAT files (AVETMISS 8.0)`);
    expect(nat.stdout).toContain(`${au.students.length} students`);
    for (const [key, label] of [
      ['oneroster', 'OneRoster CSV'],
      ['csv', 'CSV'],
      ['kamar', 'KAMAR Directory Services push'],
    ] as const) {
      const result = runCli(['--json', 'check', files[key] ?? '']);
      expect(result.status, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as { valid: boolean; counts: { students: number } };
      expect(report.valid).toBe(true);
      expect(report.counts.students, label).toBe(nz.students.length);
    }
  });

  it('names the file, line and field of a bad record (exit 1)', async () => {
    const dir = tempDir();
    const files = avetmissFiles(au);
    const lines = (files.NAT00080 ?? '').split('\r\n');
    // Date of birth is positions 74–81 of a NAT00080 record (AVETMISS 8.0): make it 31 February.
    lines[2] = `${lines[2]?.slice(0, 73)}31022001${lines[2]?.slice(81)}`;
    await writeAvetmissFolder(dir, { ...files, NAT00080: lines.join('\r\n') });
    const result = runCli(['check', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/NAT00080\.txt, line 3, column 74, field Date of birth/);
    expect(result.stderr).toContain('31022001');
  });

  it('is bad usage (exit 2) when the format cannot be told or the provider is unknown', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.bin'), 'hello');
    expect(runCli(['check', join(dir, 'notes.bin')]).status).toBe(2);
    expect(runCli(['check', join(dir, 'missing')]).status).toBe(2);
    expect(runCli(['check', dir, '--provider', 'sims']).status).toBe(2);
  });
});

describe('classbridge import', () => {
  it('makes a valid export the snapshot, and leaves it untouched when the next export is bad', async () => {
    const dir = tempDir();
    const files = await exportsIn(dir);
    const dataDir = join(dir, 'data');
    expect(runCli(['--data-dir', dataDir, 'import', files.csv ?? '']).status).toBe(0);
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, combinedCsv(nz).replace(/\r?\n/, '\n"unbalanced,'));
    const refused = runCli(['--data-dir', dataDir, 'import', broken]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/was not imported \(the previous snapshot is unchanged\): broken\.csv, line \d+/);
    const status = JSON.parse(runCli(['--data-dir', dataDir, '--json', 'status']).stdout) as {
      snapshot: { source: string; counts: { people: number } };
    };
    expect(status.snapshot.source).toContain('students.csv');
  });
});
