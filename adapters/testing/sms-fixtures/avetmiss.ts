import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { LAYOUTS, type NatFileId } from '../../sms/avetmiss/layouts';
import { ddmmyyyyFromIso } from '../../sms/avetmiss/fields';
import { CRLF, formatRecord } from '../../sms/avetmiss/writer';
import type { SyntheticEnrolment, SyntheticSchool } from './school';

/**
 * Serialises an AU synthetic school as an AVETMISS 8.0 NAT export (sms-formats.md C.2): the files
 * VETtrak, JobReady, PowerPro and Paradigm write. Names with macrons come out as plain ASCII, as
 * the format requires. Outcomes are deterministic: mostly 70 (continuing), some 20, 30 and 51.
 */
export interface AvetmissFixtureOptions {
  toid?: string;
  locationId?: string;
  /** The outcome identifier of the n-th enrolment (default: a fixed mix of 70, 20, 30, 51). */
  outcomeFor?: (enrolment: SyntheticEnrolment, index: number) => string;
  /**
   * Keep names as they are (Māori, José) instead of plain ASCII, padded by characters: what an
   * SMS writing UTF-8 or Windows-1252 exports. Write the files with a matching `encoding`.
   */
  keepDiacritics?: boolean;
}

export type NatFiles = Partial<Record<NatFileId, string>>;

const OUTCOME_MIX = ['70', '70', '70', '70', '70', '20', '20', '30', '70', '51'];

function file(id: NatFileId, records: readonly Record<string, string>[], keepDiacritics = false): string {
  return records.map((values) => record(id, values, keepDiacritics) + CRLF).join('');
}

/** One record; with `keepDiacritics`, A fields keep their letters, padded to their width in characters. */
function record(id: NatFileId, values: Record<string, string>, keepDiacritics: boolean): string {
  let out = formatRecord(LAYOUTS[id], values);
  if (!keepDiacritics) return out;
  for (const field of LAYOUTS[id].fields) {
    const value = values[field.key] ?? '';
    if (field.type !== 'A' || /^[\x20-\x7e]*$/.test(value)) continue;
    const chars = [...value.normalize('NFC')].slice(0, field.length);
    const from = field.start - 1;
    out =
      out.slice(0, from) + chars.join('') + ' '.repeat(field.length - chars.length) + out.slice(from + field.length);
  }
  return out;
}

export function avetmissFiles(school: SyntheticSchool, options: AvetmissFixtureOptions = {}): NatFiles {
  if (school.country !== 'au') throw new Error('AVETMISS fixtures need an AU school (units within programs)');
  const keep = options.keepDiacritics === true;
  const toid = options.toid ?? '90001';
  const locationId = options.locationId ?? 'MAIN';
  const outcomeFor = options.outcomeFor ?? ((_: SyntheticEnrolment, i: number) => OUTCOME_MIX[i % 10] as string);
  const courses = new Map(school.courses.map((c) => [c.id, c]));
  const programs = new Map(school.courses.map((c) => [c.programCode ?? '', c.programName ?? '']));
  return {
    NAT00010: file('NAT00010', [{ toid, name: school.name }]),
    NAT00020: file('NAT00020', [
      { toid, locationId, name: 'Main campus', postcode: '3000', state: '02', suburb: 'Melbourne', country: '1101' },
    ]),
    NAT00030: file(
      'NAT00030',
      [...programs].map(([programId, name]) => ({ programId, name, nominalHours: '0600' })),
    ),
    NAT00060: file(
      'NAT00060',
      school.courses.map((c) => ({
        subjectId: c.code,
        name: c.name,
        fieldOfEducation: '080301',
        vetFlag: 'Y',
        nominalHours: '0040',
      })),
      keep,
    ),
    NAT00080: file(
      'NAT00080',
      school.students.map((s) => ({
        clientId: s.id,
        name: `${s.familyName}, ${s.givenName}`,
        schoolLevel: '12',
        gender: s.gender,
        birthDate: s.birthDate,
        postcode: '3000',
        indigenous: '4',
        language: '1201',
        labourForce: '01',
        countryOfBirth: '1101',
        disabilityFlag: 'N',
        priorEducationFlag: 'N',
        atSchoolFlag: 'N',
        suburb: 'Melbourne',
        usi: s.nationalId,
        state: '02',
        streetNumber: '1',
        streetName: 'Example Street',
        surveyContact: 'A',
      })),
      keep,
    ),
    NAT00085: file(
      'NAT00085',
      school.students.map((s) => ({
        clientId: s.id,
        givenName: s.givenName,
        familyName: s.familyName,
        postalSuburb: 'Melbourne',
        postcode: '3000',
        state: '02',
        email: s.email,
      })),
      keep,
    ),
    // Zero-length files are legal (C.1): nobody reported a disability.
    NAT00090: '',
    NAT00120: file(
      'NAT00120',
      school.enrolments.map((e, i) => {
        const course = courses.get(e.courseId);
        const outcome = outcomeFor(e, i);
        // RPL/CT outcomes (51-60) need delivery mode NNN and predominant mode N (C.3).
        const rpl = /^(5\d|60)$/.test(outcome);
        return {
          toid,
          locationId,
          clientId: e.studentId,
          subjectId: course?.code ?? '',
          programId: course?.programCode ?? '',
          startDate: e.startDate,
          endDate: e.endDate,
          deliveryMode: rpl ? 'NNN' : 'YNN',
          outcome,
          fundingSource: '20',
          commencing: '3',
          studyReason: '01',
          vetInSchools: 'N',
          tuitionFee: '00450',
          hoursAttended: '0000',
          scheduledHours: '0040',
          predominantMode: rpl ? 'N' : 'I',
        };
      }),
    ),
  };
}

/**
 * How the fixture's text becomes bytes. `latin1` (default) is one byte per character, which is
 * ASCII for the default ASCII fixture. The others are what SMSs write in practice.
 */
export type FixtureEncoding =
  'latin1' | 'windows-1252' | 'utf-8' | 'utf-8-bom' | 'utf-16le-bom' | 'utf-16be-bom' | 'utf-16le';

// Written out rather than taken from the reader's own table, so a test cannot agree with a wrong reader.
const WINDOWS_1252_EXTRAS: Readonly<Record<string, number>> = {
  '€': 0x80,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '–': 0x96,
  '—': 0x97,
};

export function encodeNatText(content: string, encoding: FixtureEncoding = 'latin1'): Buffer {
  switch (encoding) {
    case 'latin1':
      return Buffer.from(content, 'latin1');
    case 'windows-1252':
      return Buffer.from(
        [...content].map((c) => WINDOWS_1252_EXTRAS[c] ?? (c.charCodeAt(0) <= 0xff ? c.charCodeAt(0) : 0x3f)),
      );
    case 'utf-8':
      return Buffer.from(content, 'utf8');
    case 'utf-8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(content, 'utf8')]);
    case 'utf-16le':
      return Buffer.from(content, 'utf16le');
    case 'utf-16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(content, 'utf16le')]);
    case 'utf-16be-bom':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(content, 'utf16le').swap16()]);
  }
}

/** Writes the NAT files into a folder; `names` overrides file names (e.g. `nat00080.TXT`). */
export async function writeAvetmissFolder(
  folder: string,
  files: NatFiles,
  names: Partial<Record<NatFileId, string>> = {},
  encoding: FixtureEncoding = 'latin1',
): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (const [id, content] of Object.entries(files) as [NatFileId, string][]) {
    await writeFile(join(folder, names[id] ?? `${id}.txt`), encodeNatText(content, encoding));
  }
}

/** The NAT files as a zip, the way they are submitted (C.1). */
export function avetmissZip(files: NatFiles, folderInZip = '', encoding: FixtureEncoding = 'latin1'): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [id, content] of Object.entries(files)) {
    entries[`${folderInZip}${id}.txt`] = encodeNatText(content, encoding);
  }
  return zipSync(entries);
}

/** Characters placed at 1-based columns, spaces between: a record in a layout the reader does not know. */
function placed(pieces: readonly (readonly [column: number, text: string])[]): string {
  let line = '';
  for (const [column, text] of pieces) line = line.padEnd(column - 1, ' ') + text;
  return line;
}

/**
 * The same school as an AVETMISS 7.0 export, for the version check: positions from
 * jobready/avetmiss_data `stores/v7/*.rb` (and bluedogtraining/avetmiss `Nat/V7`), which differ
 * from 8.0 in NAT00010 (type and address block filled), NAT00060 (subject flag first), NAT00080
 * (year completed before gender), NAT00120 (no training organisation identifier) and NAT00130
 * (year completed, not a date: 35 characters).
 */
export function avetmissV7Files(school: SyntheticSchool): NatFiles {
  const v8 = avetmissFiles(school);
  const toid = '90001';
  const courses = new Map(school.courses.map((c) => [c.id, c]));
  const completed = school.enrolments.slice(0, 3);
  return {
    NAT00010: `${placed([
      [1, toid.padEnd(10)],
      [11, school.name.slice(0, 100).padEnd(100)],
      [111, '91'],
      [113, '12 Great Street'.padEnd(50)],
      [213, 'Melbourne'.padEnd(50)],
      [263, '3000'],
      [267, '02'],
    ])}${CRLF}`,
    NAT00020: v8.NAT00020,
    NAT00060: school.courses
      .map(
        (c) =>
          placed([
            [1, 'C'],
            [2, c.code.padEnd(12)],
            [14, c.name.slice(0, 100).padEnd(100)],
            [114, '080301'],
            [120, 'Y'],
            [121, '0040'],
          ]) + CRLF,
      )
      .join(''),
    NAT00080: school.students
      .map(
        (s) =>
          placed([
            [1, s.id.padEnd(10)],
            [
              11,
              `${s.familyName}, ${s.givenName}`
                .normalize('NFD')
                .replace(/[\u0300-\u036f]/g, '')
                .slice(0, 60)
                .padEnd(60),
            ],
            [71, '12'],
            [73, String(Number(s.birthDate.slice(0, 4)) + 17)],
            [77, s.gender],
            [78, ddmmyyyyFromIso(s.birthDate)],
            [86, '3000'],
            [90, '4'],
            [91, '1201'],
            [95, '01'],
            [97, '1101'],
            [101, 'NNN'],
          ]) + CRLF,
      )
      .join(''),
    NAT00120: school.enrolments
      .map((e) => {
        const course = courses.get(e.courseId);
        return (
          placed([
            [1, 'MAIN'.padEnd(10)],
            [11, e.studentId.padEnd(10)],
            [21, (course?.code ?? '').padEnd(12)],
            [33, (course?.programCode ?? '').padEnd(10)],
            [43, ddmmyyyyFromIso(e.startDate)],
            [51, ddmmyyyyFromIso(e.endDate)],
            [59, '10'],
            [61, '70'],
            [63, '0040'],
            [67, '20'],
            [69, '3'],
          ]) + CRLF
        );
      })
      .join(''),
    NAT00130: completed
      .map(
        (e) =>
          placed([
            [1, toid.padEnd(10)],
            [11, (courses.get(e.courseId)?.programCode ?? '').padEnd(10)],
            [21, e.studentId.padEnd(10)],
            [31, e.endDate.slice(0, 4)],
            [35, 'Y'],
          ]) + CRLF,
      )
      .join(''),
  };
}
