import {
  SmsImportError,
  SmsProblemList,
  type SmsCourse,
  type SmsDescription,
  type SmsEnrolment,
  type SmsImportResult,
  type SmsPerson,
} from '../../contract';
import { readActivities, type CourseFrom, type MergedEnrolment } from './activities';
import type { NatRecord } from './fields';
import type { ReadSink } from './read-file';
import { readReferenceData, type ReferenceData } from './reference-data';
import { openNatPackage, type NatPackage } from './source';
import { refuseRelease7 } from './version';
import type { ZipLimits } from './zip';

export interface ImportSettings {
  courseFrom: CourseFrom;
  zipLimits: ZipLimits;
}

export const DESCRIPTION: SmsDescription = {
  provider: 'avetmiss',
  version: 'AVETMISS 8.0',
  capabilities: { pull: false, push: false, file: true, resultsWriteBack: ['file'] },
};

/** Reads a folder or zip of NAT files into a snapshot: all or nothing. */
export async function importNatPackage(path: string, settings: ImportSettings): Promise<SmsImportResult> {
  const pkg = await openNatPackage(path, settings.zipLimits);
  try {
    return await importOpened(pkg, settings);
  } finally {
    await pkg.close();
  }
}

/**
 * Record problems from every file are collected (up to MAX_SMS_PROBLEMS, SmsProblemList) and
 * refused together at the end; a structural problem (no NAT00080, a 7.0 export, a file in a
 * broken encoding) stops the read at once, listed after the record problems found before it.
 */
async function importOpened(pkg: NatPackage, settings: ImportSettings): Promise<SmsImportResult> {
  const sink: ReadSink = { problems: new SmsProblemList(), warnings: [...pkg.warnings] };
  let result: SmsImportResult;
  try {
    result = await readPackage(pkg, settings, sink);
  } catch (error) {
    if (error instanceof SmsImportError && sink.problems.size > 0) {
      for (const problem of error.problems) sink.problems.add(problem.kind, problem.message, problem.where);
      sink.problems.throwIfAny();
    }
    throw error;
  }
  sink.problems.throwIfAny();
  return result;
}

async function readPackage(pkg: NatPackage, settings: ImportSettings, sink: ReadSink): Promise<SmsImportResult> {
  if (pkg.fileCount === 0) throw new SmsImportError('empty', 'The export has no files at all', {});
  await refuseRelease7(pkg);
  const { warnings } = sink;
  const data = await readReferenceData(pkg, sink);
  const courseFile = settings.courseFrom === 'program' ? 'NAT00030' : 'NAT00060';
  if (!data.has(courseFile) && !(courseFile === 'NAT00030' && data.has('NAT00030A'))) {
    throw new SmsImportError('missing', `Courses come from ${courseFile}, and the export has none`, {
      file: `${courseFile}.txt`,
      expected: `${courseFile}.txt (courseFrom: '${settings.courseFrom}')`,
    });
  }
  const activitiesEntry = pkg.entries.get('NAT00120');
  if (!activitiesEntry) {
    throw new SmsImportError('missing', 'The export has no NAT00120 (training activities) file', {
      file: 'NAT00120.txt',
      expected: 'NAT00120.txt among the NAT files',
    });
  }
  const merged = await readActivities(activitiesEntry, data, settings.courseFrom, sink);
  return {
    snapshot: {
      people: [...data.clients.values()].map((client) =>
        toPerson(client, data.contacts.get(client.clientId as string)),
      ),
      courses: toCourses(settings.courseFrom === 'program' ? data.programs : data.subjects, merged),
      groups: [],
      enrolments: [...merged.values()].map(toEnrolment),
    },
    warnings,
    description: DESCRIPTION,
  };
}

/** Name for encryption is `Surname, Given Other` (C.2); NAT00085's split names win when present. */
export function splitNameForEncryption(name: string): { givenName: string; familyName: string } {
  const comma = name.indexOf(',');
  if (comma < 0) return { givenName: '', familyName: name.trim() };
  return { familyName: name.slice(0, comma).trim(), givenName: name.slice(comma + 1).trim() };
}

function toPerson(client: NatRecord, contact: NatRecord | undefined): SmsPerson {
  const fromName = splitNameForEncryption(client.name as string);
  const givenName = contact?.givenName || fromName.givenName;
  const familyName = contact?.familyName || fromName.familyName;
  const usi = client.usi as string;
  const email = contact?.email ?? '';
  return {
    smsId: client.clientId as string,
    role: 'student',
    givenName: givenName,
    familyName: familyName,
    ...(email !== '' ? { email: email } : {}),
    // NAT00080 has no status: a client reported in the collection is a current student [I].
    active: true,
    ...(usi !== '' && !/^@+$/.test(usi) ? { extra: { usi } } : {}),
  };
}

function toCourses(records: ReadonlyMap<string, NatRecord>, merged: ReadonlyMap<string, MergedEnrolment>): SmsCourse[] {
  const spans = new Map<string, { start: string; end: string }>();
  for (const enrolment of merged.values()) {
    const span = spans.get(enrolment.courseId);
    if (!span) spans.set(enrolment.courseId, { start: enrolment.startDate, end: enrolment.endDate });
    else {
      if (enrolment.startDate < span.start) span.start = enrolment.startDate;
      if (enrolment.endDate > span.end) span.end = enrolment.endDate;
    }
  }
  return [...records.entries()].map(([id, record]) => {
    const span = spans.get(id);
    return {
      smsId: id,
      code: id,
      name: record.name as string,
      ...(span ? { startDate: span.start, endDate: span.end } : {}),
    };
  });
}

function toEnrolment(merged: MergedEnrolment): SmsEnrolment {
  return {
    personSmsId: merged.clientId,
    courseSmsId: merged.courseId,
    role: 'student',
    startDate: merged.startDate,
    endDate: merged.endDate,
    active: merged.active,
    ...(merged.outcome !== undefined ? { outcome: merged.outcome } : {}),
  };
}

export type { ReferenceData };
