import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SmsImportError } from '../../contract';
import { avetmissZip, writeAvetmissFolder } from '../../testing/sms-fixtures/avetmiss';
import { readRecord } from './fields';
import { LAYOUTS, type NatFileId } from './layouts';
import { createAvetmissAdapter } from './index';
import { filesS, withTempDir } from '../../testing/sms-support/avetmiss';

/** Runs an import and says whether it ended well or with an SmsImportError; anything else fails the test. */
async function onlyImportErrors(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof SmsImportError)) throw error;
  }
}

const base = filesS();
const lines = (id: NatFileId) => base[id]!.split('\r\n').filter((l) => l !== '');

/** A valid record with random characters written over it and a random cut. */
function mutatedLine(id: NatFileId) {
  return fc
    .record({
      line: fc.constantFrom(...lines(id)),
      at: fc.nat({ max: 200 }),
      text: fc.string({ maxLength: 12, unit: 'binary-ascii' }),
      cut: fc.option(fc.nat({ max: 200 })),
    })
    .map(({ line, at, text, cut }) => {
      const mutated = line.slice(0, at) + text + line.slice(at + text.length);
      return cut === null ? mutated : mutated.slice(0, cut);
    });
}

function natFile(id: NatFileId) {
  return fc
    .array(fc.oneof(mutatedLine(id), fc.constantFrom(...lines(id)), fc.string({ maxLength: 300 })), { maxLength: 20 })
    .chain((records) => fc.constantFrom('\r\n', '\n').map((end) => records.join(end) + end));
}

describe('fuzz: only SmsImportError, never a hang', () => {
  it('readRecord on any text', { timeout: 20_000 }, () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(LAYOUTS) as NatFileId[])),
        fc.string({ maxLength: 700, unit: 'binary' }),
        (id, text) => {
          try {
            readRecord(LAYOUTS[id], text, { file: id, line: 1 });
          } catch (error) {
            expect(error).toBeInstanceOf(SmsImportError);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a whole import with mutated NAT files', { timeout: 60_000 }, async () => {
    await withTempDir(async (dir) => {
      await fc.assert(
        fc.asyncProperty(natFile('NAT00080'), natFile('NAT00120'), natFile('NAT00060'), async (n80, n120, n60) => {
          const folder = join(dir, `run-${Math.random().toString(36).slice(2)}`);
          await writeAvetmissFolder(folder, { ...base, NAT00080: n80, NAT00120: n120, NAT00060: n60 });
          for (const courseFrom of ['subject', 'program'] as const) {
            await onlyImportErrors(() => createAvetmissAdapter({ courseFrom }).import({ kind: 'path', path: folder }));
          }
        }),
        { numRuns: 200 },
      );
    });
  });

  it('zips with random damage', { timeout: 60_000 }, async () => {
    const zip = avetmissZip(base);
    await withTempDir(async (dir) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ at: fc.nat({ max: zip.length - 1 }), byte: fc.nat({ max: 255 }) }), { maxLength: 8 }),
          fc.option(fc.nat({ max: zip.length })),
          async (damage, cut) => {
            const bytes = Buffer.from(zip);
            for (const { at, byte } of damage) bytes[at] = byte;
            const path = join(dir, 'fuzz.zip');
            await writeFile(path, cut === null ? bytes : bytes.subarray(0, Math.max(4, cut)));
            await onlyImportErrors(() => createAvetmissAdapter().import({ kind: 'path', path }));
          },
        ),
        { numRuns: 200 },
      );
    });
  });
});
