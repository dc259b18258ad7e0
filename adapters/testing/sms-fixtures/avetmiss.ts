import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { LAYOUTS, type NatFileId } from '../../sms/avetmiss/layouts';
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
}

export type NatFiles = Partial<Record<NatFileId, string>>;

const OUTCOME_MIX = ['70', '70', '70', '70', '70', '20', '20', '30', '70', '51'];

function file(id: NatFileId, records: readonly Record<string, string>[]): string {
  return records.map((values) => formatRecord(LAYOUTS[id], values) + CRLF).join('');
}

export function avetmissFiles(school: SyntheticSchool, options: AvetmissFixtureOptions = {}): NatFiles {
  if (school.country !== 'au') throw new Error('AVETMISS fixtures need an AU school (units within programs)');
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

/** Writes the NAT files into a folder; `names` overrides file names (e.g. `nat00080.TXT`). */
export async function writeAvetmissFolder(
  folder: string,
  files: NatFiles,
  names: Partial<Record<NatFileId, string>> = {},
): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (const [id, content] of Object.entries(files) as [NatFileId, string][]) {
    await writeFile(join(folder, names[id] ?? `${id}.txt`), content, 'latin1');
  }
}

/** The NAT files as a zip, the way they are submitted (C.1). */
export function avetmissZip(files: NatFiles, folderInZip = ''): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [id, content] of Object.entries(files)) {
    entries[`${folderInZip}${id}.txt`] = Buffer.from(content, 'latin1');
  }
  return zipSync(entries);
}
