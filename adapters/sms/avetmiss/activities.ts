import { SmsImportError, type SmsProblemList } from '../../contract';
import type { NatRecord, RecordContext } from './fields';
import { readNatFile, type ReadSink } from './read-file';
import { checkActivityReferences, type ReferenceData } from './reference-data';
import type { NatEntry } from './source';
import { isKnownOutcome, OUTCOME_CODE_LIST, WITHDRAWN_OUTCOMES } from './outcomes';

export type CourseFrom = 'subject' | 'program';

/** One LMS enrolment: every NAT00120 activity of one client in one course, merged. */
export interface MergedEnrolment {
  clientId: string;
  courseId: string;
  startDate: string;
  endDate: string;
  /** The outcome of the latest activity (subject mode); in program mode only when all activities agree. */
  outcome: string | undefined;
  latestStart: string;
  active: boolean;
}

/** Which LMS course a NAT00120 activity belongs to: its subject or its program (blank = subject-only). */
export function courseIdOf(values: NatRecord, courseFrom: CourseFrom): string {
  return (courseFrom === 'program' ? values.programId : values.subjectId) as string;
}

/** False (after adding the problem, or throwing it without a list) for an outcome not in C.3. */
export function checkOutcome(values: NatRecord, ctx: RecordContext, problems?: SmsProblemList): boolean {
  const outcome = values.outcome as string;
  if (isKnownOutcome(outcome)) return true;
  const where = {
    ...ctx,
    column: 72,
    field: 'Outcome identifier - national',
    expected: `one of ${OUTCOME_CODE_LIST}`,
    found: outcome,
  };
  if (!problems) throw new SmsImportError('format', 'Unknown outcome identifier', where);
  problems.add('format', 'Unknown outcome identifier', where);
  return false;
}

/**
 * Streams NAT00120 and merges its activities into enrolments (one per client × course): memory
 * grows with distinct enrolments, not with the file. A client re-enrolled in a unit (another year,
 * location or program) is one LMS enrolment spanning the earliest start to the latest end.
 */
export async function readActivities(
  entry: NatEntry,
  data: ReferenceData,
  courseFrom: CourseFrom,
  sink: ReadSink,
): Promise<Map<string, MergedEnrolment>> {
  const merged = new Map<string, MergedEnrolment>();
  let withoutProgram = 0;
  let firstWithoutProgram = 0;
  const records = await readNatFile(entry, sink, (values, ctx) => {
    if (!checkOutcome(values, ctx, sink.problems)) return;
    checkActivityReferences(data, sink.problems, values, ctx);
    const courseId = courseIdOf(values, courseFrom);
    if (courseId === '') {
      withoutProgram += 1;
      if (firstWithoutProgram === 0) firstWithoutProgram = ctx.line;
      return;
    }
    merge(merged, values, courseId, courseFrom);
  });
  if (withoutProgram > 0) {
    sink.warnings.push({
      message: `${withoutProgram} subject-only activit(ies) have no program identifier: no program course to enrol them in`,
      file: entry.name,
      line: firstWithoutProgram,
      field: 'Program identifier',
    });
  }
  if (records === 0 && sink.problems.total === 0)
    sink.warnings.push({ message: 'NAT00120 has no training activities: no enrolments', file: entry.name });
  return merged;
}

function merge(
  merged: Map<string, MergedEnrolment>,
  values: NatRecord,
  courseId: string,
  courseFrom: CourseFrom,
): void {
  const clientId = values.clientId as string;
  const startDate = values.startDate as string;
  const endDate = values.endDate as string;
  const outcome = values.outcome as string;
  const active = !WITHDRAWN_OUTCOMES.has(outcome);
  const key = `${clientId}\u0000${courseId}`;
  const existing = merged.get(key);
  if (!existing) {
    merged.set(key, { clientId, courseId, startDate, endDate, outcome, latestStart: startDate, active });
    return;
  }
  if (startDate < existing.startDate) existing.startDate = startDate;
  if (endDate > existing.endDate) existing.endDate = endDate;
  if (courseFrom === 'program') {
    // A program course spans many units: one outcome only when every unit has the same one.
    if (existing.outcome !== outcome) existing.outcome = undefined;
    existing.active ||= active;
  } else if (startDate >= existing.latestStart) {
    existing.latestStart = startDate;
    existing.outcome = outcome;
    existing.active = active;
  }
}
