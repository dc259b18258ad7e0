import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SmsAdapter, SmsSnapshot, SmsSource } from '../../../adapters/contract';
import { createAvetmissAdapter } from '../../../adapters/sms/avetmiss';
import { createCsvAdapter } from '../../../adapters/sms/csv';
import { createKamarAdapter } from '../../../adapters/sms/kamar';
import { createOneRosterAdapter } from '../../../adapters/sms/oneroster';
import { avetmissFiles, writeAvetmissFolder } from '../../../adapters/testing/sms-fixtures/avetmiss';
import { COMBINED_CSV_MAPPING, COMBINED_FILE, combinedCsv } from '../../../adapters/testing/sms-fixtures/csv';
import { kamarFullPush } from '../../../adapters/testing/sms-fixtures/kamar';
import { oneRosterFiles, zipBytes } from '../../../adapters/testing/sms-fixtures/oneroster';
import { generateSchool } from '../../../adapters/testing/sms-fixtures/school';
import { useTempDirs } from '../../test-support/temp';
import { openStore } from '../store/store';
import { checkImportResult } from './import-snapshot';

// Issue 13 item 5: every field an SMS adapter produces reaches the store, through the same intake
// checks and the same SQLite tables as a real import (a schema that lacked a field used to strip it).
const tempDir = useTempDirs();
const nz = generateSchool({ seed: 51 });
const au = generateSchool({ seed: 52, country: 'au' });

interface Case {
  name: string;
  adapter: SmsAdapter;
  source: (dir: string) => Promise<SmsSource>;
  /** Fields the fixture must carry, so the test cannot pass on an export that has none of them. */
  expects: { personExtra?: string[]; outcome?: boolean };
}

const CASES: Case[] = [
  {
    name: 'CSV (combined, with extra columns)',
    adapter: createCsvAdapter({ mapping: COMBINED_CSV_MAPPING }),
    source: async (dir) => {
      await writeFile(join(dir, COMBINED_FILE), combinedCsv(nz));
      return { kind: 'path', path: dir };
    },
    expects: { personExtra: ['yearLevel', 'nsn'] },
  },
  {
    name: 'OneRoster 1.2 zip',
    adapter: createOneRosterAdapter(),
    source: async (dir) => {
      const zip = join(dir, 'roster.zip');
      await writeFile(zip, zipBytes(oneRosterFiles(nz)));
      return { kind: 'path', path: zip };
    },
    expects: { personExtra: ['oneRosterRole'] },
  },
  {
    name: 'KAMAR full push',
    adapter: createKamarAdapter(),
    source: async () => ({ kind: 'payloads', payloads: kamarFullPush(nz) }),
    expects: { personExtra: ['yearLevel'] },
  },
  {
    name: 'AVETMISS NAT files',
    adapter: createAvetmissAdapter(),
    source: async (dir) => {
      await writeAvetmissFolder(dir, avetmissFiles(au));
      return { kind: 'path', path: dir };
    },
    expects: { personExtra: ['usi'], outcome: true },
  },
];

/** The adapter's records with the keys the intake treats as absent (undefined) left out, for comparing. */
const defined = <T extends object>(record: T): Partial<T> =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;

describe('no field an SMS adapter reads is dropped on import', () => {
  for (const c of CASES) {
    it(`${c.name}: people, courses, classes and enrolments are stored with every field`, async () => {
      const dir = tempDir();
      await mkdir(dir, { recursive: true });
      const result = await c.adapter.import(await c.source(dir));
      // The intake validates and merges in place: keep the adapter's own output to compare with.
      const produced = structuredClone(result.snapshot) as SmsSnapshot;
      const store = openStore({ file: join(dir, 'cb.db') });
      try {
        store.snapshot.replace(checkImportResult(result).snapshot, c.name);
        const stored = store.snapshot.read();

        const people = new Map(stored.people.map((p) => [p.smsId, defined(p)]));
        for (const p of produced.people) expect(people.get(p.smsId)).toEqual(defined(p));
        const extraKeys = new Set(produced.people.flatMap((p) => Object.keys(p.extra ?? {})));
        for (const key of c.expects.personExtra ?? []) expect(extraKeys).toContain(key);

        const courses = new Map(stored.courses.map((x) => [x.smsId, defined(x)]));
        for (const x of produced.courses) expect(courses.get(x.smsId)).toEqual(defined(x));
        const groups = new Map(stored.groups.map((g) => [g.smsId, defined(g)]));
        for (const g of produced.groups) expect(groups.get(g.smsId)).toEqual(defined(g));

        // Rows merge per person, course and role; each row's own fields survive in its enrolment.
        const key = (e: { personSmsId: string; courseSmsId: string; role: string }) =>
          `${e.personSmsId}\u0000${e.courseSmsId}\u0000${e.role}`;
        const enrolments = new Map(stored.enrolments.map((e) => [key(e), e]));
        let outcomes = 0;
        for (const row of produced.enrolments) {
          const e = enrolments.get(key(row));
          expect(e, key(row)).toBeDefined();
          if (!e) continue;
          const rows = produced.enrolments.filter((r) => key(r) === key(row));
          if (row.groupSmsId !== undefined && (row.active || rows.every((r) => !r.active)))
            expect(e.groupSmsIds).toContain(row.groupSmsId);
          if (rows.length === 1) {
            const { groupSmsId: _g, ...fields } = defined(row);
            const { groupSmsIds: _gs, ...storedFields } = defined(e);
            expect(storedFields).toEqual(fields);
          }
          if (row.outcome !== undefined) {
            outcomes += 1;
            expect(e.outcome).toBe(row.outcome);
          }
        }
        if (c.expects.outcome) expect(outcomes).toBeGreaterThan(0);
      } finally {
        store.close();
      }
    });
  }
});
