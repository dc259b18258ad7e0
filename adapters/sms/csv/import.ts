import { SmsImportError, type SmsDescription, type SmsImportResult, type SmsSource } from '../../contract';
import { importCombined } from './import-combined';
import { importSeparate } from './import-separate';
import { resolveInputs } from './inputs';
import type { CsvMapping } from './mapping';
import { SnapshotBuilder } from './snapshot-builder';
import { LateEncodingChange, type TextEncodingName } from './text/encoding';

/**
 * Reads the mapped files into a snapshot, all or nothing. Encoding is judged from each file's first
 * 64 KB; when a file without a BOM turns out not to be UTF-8 further on, the whole import starts over
 * with that file read as Windows-1252 (nothing was kept from the first pass, so this is safe).
 */
export async function importCsv(
  mapping: CsvMapping,
  source: SmsSource,
  description: SmsDescription,
): Promise<SmsImportResult> {
  const encodings = new Map<string, TextEncodingName>();
  for (;;) {
    try {
      const builder = new SnapshotBuilder();
      await readOnce(mapping, source, builder, encodings);
      const { snapshot, warnings } = builder.finish();
      return { snapshot, warnings, description };
    } catch (error) {
      if (!(error instanceof LateEncodingChange) || encodings.has(error.file)) throw asImportError(error);
      encodings.set(error.file, 'windows-1252');
    }
  }
}

async function readOnce(
  mapping: CsvMapping,
  source: SmsSource,
  builder: SnapshotBuilder,
  encodings: ReadonlyMap<string, TextEncodingName>,
): Promise<void> {
  if (mapping.mode === 'combined') {
    const [input] = await resolveInputs(source, [mapping.file]);
    if (!input) throw new SmsImportError('missing', `The mapped file ${mapping.file} was not found`);
    await importCombined(mapping, input, builder, encodings.get(input.name));
    return;
  }
  const { people, courses, groups, enrolments } = mapping.files;
  const names = [people, enrolments, ...(courses ? [courses] : []), ...(groups ? [groups] : [])];
  const found = await resolveInputs(source, names);
  const byName = (name: string | undefined) => (name ? found[names.indexOf(name)] : undefined);
  const peopleInput = byName(people);
  const enrolmentsInput = byName(enrolments);
  if (!peopleInput || !enrolmentsInput) throw new SmsImportError('missing', 'The people or enrolments file is missing');
  const coursesInput = byName(courses);
  const groupsInput = byName(groups);
  await importSeparate(
    mapping,
    {
      people: peopleInput,
      enrolments: enrolmentsInput,
      ...(coursesInput ? { courses: coursesInput } : {}),
      ...(groupsInput ? { groups: groupsInput } : {}),
    },
    builder,
    encodings,
  );
}

/** A late encoding change that already had its retry means the file is neither UTF-8 nor 1252. */
function asImportError(error: unknown): unknown {
  if (error instanceof LateEncodingChange)
    return new SmsImportError('encoding', 'The file is in a text encoding ClassBridge cannot read', {
      file: error.file,
      expected: 'UTF-8 or Windows-1252',
    });
  return error;
}
