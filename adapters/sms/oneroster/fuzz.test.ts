import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SmsImportError } from '../../contract';
import { oneRosterManifest, zipBytes } from '../../testing/sms-fixtures/oneroster';
import { parseManifest } from './manifest';
import { DEFAULT_ZIP_LIMITS } from './options';
import { memoryRandomAccess } from './random-access';
import { openZip } from './source';
import { readTable } from './csv-table';
import { tableSpec } from './columns';
import { cleanTempDirs, importFolder, schoolFiles } from '../../testing/sms-support/oneroster';

afterAll(cleanTempDirs);

/** Anything but an SmsImportError escaping a parser is a bug (all-or-nothing contract). */
async function onlyImportErrors(attempt: () => Promise<unknown>): Promise<void> {
  try {
    await attempt();
  } catch (error) {
    if (!(error instanceof SmsImportError)) throw error;
  }
}

async function* chunksOf(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const csvish = fc.stringMatching(/^[a-zA-Z0-9",\n\r ā'_.-]{0,400}$/);
const header = 'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,givenName,familyName\n';

describe('OneRoster parsers never throw anything but SmsImportError', () => {
  it('CSV table reader on arbitrary CSV-like text, in arbitrary chunk sizes', { timeout: 30_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), csvish, fc.integer({ min: 1, max: 64 }), async (withHeader, body, chunk) => {
        await onlyImportErrors(async () => {
          for await (const row of readTable(
            chunksOf((withHeader ? header : '') + body, chunk),
            tableSpec('users', '1.1'),
            { maxRecordChars: 256, warnings: [] },
          )) {
            row.get('sourcedId');
            row.extensions();
          }
        });
      }),
      { numRuns: 200 },
    );
  });

  it('manifest parser on arbitrary text', { timeout: 30_000 }, async () => {
    const manifestish = fc.oneof(
      csvish,
      csvish.map((tail) => `propertyName,value\noneroster.version,1.2\n${tail}`),
    );
    await fc.assert(
      fc.asyncProperty(manifestish, async (text) => {
        await onlyImportErrors(async () => parseManifest(text, []));
      }),
      { numRuns: 200 },
    );
  });

  it('zip reader on arbitrary bytes and on damaged real archives', { timeout: 60_000 }, async () => {
    const real = zipBytes({
      'manifest.csv': oneRosterManifest('1.1', { users: 'bulk' }),
      'users.csv': header + 'a,active,,true,o,student,u,G,F\n',
    });
    const damaged = fc
      .array(fc.tuple(fc.nat({ max: real.length - 1 }), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 8,
      })
      .map((edits) => {
        const copy = real.slice();
        for (const [at, value] of edits) copy[at] = value;
        return copy;
      });
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      damaged,
      fc.nat({ max: real.length }).map((n) => real.slice(0, n)),
    );
    await fc.assert(
      fc.asyncProperty(input, async (bytes) => {
        await onlyImportErrors(async () => {
          const source = await openZip(memoryRandomAccess(bytes), 'fuzz.zip', DEFAULT_ZIP_LIMITS);
          for (const name of source.files.keys())
            for await (const chunk of source.open(name)) expect(chunk).toBeInstanceOf(Uint8Array);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('whole import with one file replaced by arbitrary text', { timeout: 60_000 }, async () => {
    const files = schoolFiles('1.1');
    const names = Object.keys(files);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), csvish, fc.boolean(), async (name, text, keepHeader) => {
        const original = files[name]!;
        const replaced = keepHeader ? original.slice(0, original.indexOf('\n') + 1) + text : text;
        await onlyImportErrors(() => importFolder({ ...files, [name]: replaced }));
      }),
      { numRuns: 200 },
    );
  });
});
