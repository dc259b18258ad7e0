import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../adapters/contract';
import { waitFor } from '../../../adapters/testing/sms-support/kamar';
import { avetmissFiles, writeAvetmissFolder } from '../../../adapters/testing/sms-fixtures/avetmiss';
import { combinedCsv } from '../../../adapters/testing/sms-fixtures/csv';
import { generateSchool } from '../../../adapters/testing/sms-fixtures/school';
import { useTempDirs } from '../../test-support/temp';
import { ConnectionSchema, SMS_PROVIDER_INFO } from '../model';
import { openStore } from '../store/store';
import { startExportWatch } from './export-watch-service';

const tempDir = useTempDirs();

describe('watching an SMS export folder', () => {
  it('imports a new NAT export once it has settled, and records a refused one without losing the last good data', async () => {
    const dir = tempDir();
    const exports = join(dir, 'exports');
    const store = openStore({ file: join(dir, 'cb.db') });
    store.connections.save(
      ConnectionSchema.parse({ id: 'vettrak', kind: 'sms', provider: 'vettrak', name: 'VETtrak', source: exports }),
    );
    let changes = 0;
    const school = generateSchool({ seed: 21, country: 'au' });
    const files = avetmissFiles(school);
    await writeAvetmissFolder(exports, files);
    const watch = startExportWatch({ store, logger: silentLogger, settleMs: 100, onChanged: () => (changes += 1) });
    try {
      expect(watch.watching).toBe(exports);
      expect(await waitFor(() => changes === 1, 5000)).toBe(true);
      expect(store.snapshot.read().people).toHaveLength(school.students.length);

      // The next export has a client whose date of birth is 31 February.
      const lines = (files.NAT00080 ?? '').split('\r\n');
      lines[1] = `${lines[1]?.slice(0, 73)}31022001${lines[1]?.slice(81)}`;
      await writeAvetmissFolder(exports, { ...files, NAT00080: lines.join('\r\n') });
      expect(await waitFor(() => changes === 2, 5000)).toBe(true);
      expect(store.snapshot.read().people).toHaveLength(school.students.length);
      expect(store.runs.list({ limit: 1 })[0]?.outcome).toBe('failed');
      expect(store.runs.listErrors()[0]?.message).toMatch(/NAT00080\.txt, line 2, column 74, field Date of birth/);
    } finally {
      watch.close();
      store.close();
    }
  });

  it('imports a CSV export file when it changes, and keeps the last good data when a change is malformed', async () => {
    const dir = tempDir();
    const file = join(dir, 'students.csv');
    const store = openStore({ file: join(dir, 'cb.db') });
    store.connections.save(
      ConnectionSchema.parse({ id: 'csv', kind: 'sms', provider: 'csv', name: 'CSV', source: file }),
    );
    const school = generateSchool({ seed: 22 });
    writeFileSync(file, combinedCsv(school));
    let changes = 0;
    const watch = startExportWatch({ store, logger: silentLogger, settleMs: 100, onChanged: () => (changes += 1) });
    try {
      expect(watch.watching).toBe(file);
      expect(await waitFor(() => changes === 1, 5000)).toBe(true);
      expect(store.snapshot.read().people.filter((p) => p.role === 'student')).toHaveLength(school.students.length);

      const fewer = structuredClone(school);
      fewer.students = fewer.students.slice(1);
      fewer.enrolments = fewer.enrolments.filter((e) => e.studentId !== school.students[0]!.id);
      writeFileSync(file, combinedCsv(fewer));
      expect(await waitFor(() => changes === 2, 5000)).toBe(true);
      expect(store.snapshot.read().people.filter((p) => p.role === 'student')).toHaveLength(school.students.length - 1);

      writeFileSync(file, 'this is not the export\n');
      expect(await waitFor(() => changes === 3, 5000)).toBe(true);
      expect(store.runs.list({ limit: 1 })[0]?.outcome).toBe('failed');
      expect(store.snapshot.read().people.filter((p) => p.role === 'student')).toHaveLength(school.students.length - 1);
    } finally {
      watch.close();
      store.close();
    }
  });

  it('does not import again at start an export of this source older than the data already imported from it', async () => {
    const dir = tempDir();
    const file = join(dir, 'students.csv');
    writeFileSync(file, combinedCsv(generateSchool({ seed: 23 })));
    const store = openStore({ file: join(dir, 'cb.db') });
    store.connections.save(
      ConnectionSchema.parse({ id: 'csv', kind: 'sms', provider: 'csv', name: 'CSV', source: file }),
    );
    store.snapshot.replace(
      { people: [], courses: [], groups: [], enrolments: [] },
      `${SMS_PROVIDER_INFO.csv.label} export students.csv`,
    );
    let changes = 0;
    const watch = startExportWatch({ store, logger: silentLogger, settleMs: 50, onChanged: () => (changes += 1) });
    try {
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(changes).toBe(0);
      expect(store.snapshot.read().people).toHaveLength(0);
    } finally {
      watch.close();
      store.close();
    }
  });

  it('reads a new source at once after Setup switched to it, however old its file (issue 18 item 2)', async () => {
    const dir = tempDir();
    const file = join(dir, 'students.csv');
    const school = generateSchool({ seed: 24 });
    writeFileSync(file, combinedCsv(school));
    const store = openStore({ file: join(dir, 'cb.db') });
    // The data in use came from the SMS the school used before (KAMAR), imported after this file was written.
    store.snapshot.replace({ people: [], courses: [], groups: [], enrolments: [] }, 'KAMAR full push (3 parts)');
    store.connections.save(
      ConnectionSchema.parse({ id: 'csv', kind: 'sms', provider: 'csv', name: 'CSV', source: file }),
    );
    let changes = 0;
    const watch = startExportWatch({ store, logger: silentLogger, settleMs: 50, onChanged: () => (changes += 1) });
    try {
      expect(await waitFor(() => changes === 1, 5000)).toBe(true);
      expect(store.snapshot.meta()?.source).toBe(`${SMS_PROVIDER_INFO.csv.label} export students.csv`);
      expect(store.snapshot.read().people.filter((p) => p.role === 'student')).toHaveLength(school.students.length);
    } finally {
      watch.close();
      store.close();
    }
  });

  it('reads a file of the same name in another folder at once when the engine saw the source change', async () => {
    const dir = tempDir();
    const file = join(dir, 'students.csv');
    const school = generateSchool({ seed: 25 });
    writeFileSync(file, combinedCsv(school));
    const store = openStore({ file: join(dir, 'cb.db') });
    // The data in use came from /elsewhere/students.csv: the same name as History shows it.
    store.snapshot.replace(
      { people: [], courses: [], groups: [], enrolments: [] },
      `${SMS_PROVIDER_INFO.csv.label} export students.csv`,
    );
    store.connections.save(
      ConnectionSchema.parse({ id: 'csv', kind: 'sms', provider: 'csv', name: 'CSV', source: file }),
    );
    let changes = 0;
    const watch = startExportWatch({
      store,
      logger: silentLogger,
      settleMs: 50,
      sourceChanged: true,
      onChanged: () => (changes += 1),
    });
    try {
      expect(await waitFor(() => changes === 1, 5000)).toBe(true);
      expect(store.snapshot.read().people.filter((p) => p.role === 'student')).toHaveLength(school.students.length);
    } finally {
      watch.close();
      store.close();
    }
  });

  it('does nothing for an SMS that does not export files', () => {
    const dir = tempDir();
    const store = openStore({ file: join(dir, 'cb.db') });
    store.connections.save(ConnectionSchema.parse({ id: 'kamar', kind: 'sms', provider: 'kamar', name: 'KAMAR' }));
    expect(startExportWatch({ store, logger: silentLogger }).watching).toBeUndefined();
    store.close();
  });
});
