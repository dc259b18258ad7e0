import type { SmsResultRecord, SmsWarning } from '../../contract';
import { studentKey, type ExportContext } from './export-context';
import type { OneRosterVersion } from './options';

/**
 * Turns LMS results into OneRoster gradebook rows (E.3 mapping): per class two line items, "Course grade"
 * (the LMS course total, 0–100) and "Progress" (graded ÷ non-hidden activities, 0–100 — there is no standard
 * progress field, so it travels as its own line item), and one result per student per line item.
 * Ids are deterministic (`classbridge-grade-<class>`, `<lineItem>-<student>`) so re-exports replace rather
 * than duplicate: the consumer chooses sourcedIds (E.3).
 */
export const LINE_ITEM_COLUMNS: Record<OneRosterVersion, string[]> = {
  '1.1': [
    'sourcedId',
    'status',
    'dateLastModified',
    'title',
    'description',
    'assignDate',
    'dueDate',
    'classSourcedId',
    'categorySourcedId',
    'gradingPeriodSourcedId',
    'resultValueMin',
    'resultValueMax',
  ],
  '1.2': [
    'sourcedId',
    'status',
    'dateLastModified',
    'title',
    'description',
    'assignDate',
    'dueDate',
    'classSourcedId',
    'schoolSourcedId',
    'categorySourcedId',
    'academicSessionSourcedId',
    'scoreScaleSourcedId',
    'resultValueMin',
    'resultValueMax',
  ],
};

export const RESULT_COLUMNS: Record<OneRosterVersion, string[]> = {
  '1.1': [
    'sourcedId',
    'status',
    'dateLastModified',
    'lineItemSourcedId',
    'studentSourcedId',
    'scoreStatus',
    'score',
    'scoreDate',
    'comment',
  ],
  '1.2': [
    'sourcedId',
    'status',
    'dateLastModified',
    'lineItemSourcedId',
    'studentSourcedId',
    'classSourcedId',
    'scoreScaleSourcedId',
    'scoreStatus',
    'score',
    'textScore',
    'scoreDate',
    'comment',
    'inProgress',
    'incomplete',
    'late',
    'missing',
  ],
};

export const CATEGORY_COLUMNS = ['sourcedId', 'status', 'dateLastModified', 'title'];
export const CATEGORY_ID = 'classbridge';

type Row = Record<string, string>;

export interface GradebookRows {
  lineItems: Row[];
  results: Row[];
  categories: Row[];
}

function isoOr(value: string, fallback: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value)) ? value : fallback;
}

function percent(value: number): string {
  return (Math.round(Math.min(100, Math.max(0, value)) * 100) / 100).toString();
}

export function gradebookRows(
  results: readonly SmsResultRecord[],
  ctx: ExportContext | undefined,
  version: OneRosterVersion,
  now: Date,
  warnings: SmsWarning[],
): GradebookRows {
  const nowIso = now.toISOString();
  const today = nowIso.slice(0, 10);
  const lineItems = new Map<string, Row>();
  const rows: Row[] = [];
  const skipped = { noClass: 0, textOnly: 0, noTerm: new Set<string>() };

  const lineItem = (classId: string, courseSmsId: string, kind: 'grade' | 'progress'): string => {
    const id = `classbridge-${kind}-${classId}`;
    if (lineItems.has(id)) return id;
    const info = ctx?.classInfo.get(classId);
    const dates = ctx?.courseDates.get(courseSmsId);
    if (!info?.termSourcedId) skipped.noTerm.add(classId);
    lineItems.set(id, {
      sourcedId: id,
      status: 'active',
      dateLastModified: nowIso,
      title: kind === 'grade' ? 'Course grade' : 'Progress',
      description:
        kind === 'grade'
          ? 'Course total from the LMS (percent)'
          : 'Activities graded ÷ visible activities in the LMS (percent)',
      assignDate: dates?.startDate ?? today,
      dueDate: dates?.endDate ?? today,
      classSourcedId: classId,
      schoolSourcedId: info?.schoolSourcedId ?? '',
      categorySourcedId: CATEGORY_ID,
      gradingPeriodSourcedId: info?.termSourcedId ?? '',
      academicSessionSourcedId: info?.termSourcedId ?? '',
      scoreScaleSourcedId: '',
      resultValueMin: '0',
      resultValueMax: '100',
    });
    return id;
  };

  for (const r of results) {
    const classId =
      ctx?.courseFrom === 'course' ? ctx.classOfStudent.get(studentKey(r.personSmsId, r.courseSmsId)) : r.courseSmsId;
    if (!classId) {
      skipped.noClass++;
      continue;
    }
    const common = {
      status: 'active',
      dateLastModified: isoOr(r.updatedAt, nowIso),
      studentSourcedId: r.personSmsId,
      classSourcedId: classId,
      scoreScaleSourcedId: '',
      scoreDate: isoOr(r.updatedAt, nowIso).slice(0, 10),
      scoreStatus: r.completed ? 'fully graded' : 'partially graded',
      inProgress: r.completed ? 'false' : 'true',
      incomplete: '',
      late: '',
      missing: '',
    };
    const progressItem = lineItem(classId, r.courseSmsId, 'progress');
    rows.push({
      ...common,
      sourcedId: `${progressItem}-${r.personSmsId}`,
      lineItemSourcedId: progressItem,
      score: percent(r.progressPercent),
      textScore: '',
      comment: '',
    });
    if (r.gradePercent === null && r.grade === null) continue;
    if (r.gradePercent === null && version === '1.1') {
      skipped.textOnly++;
      continue;
    }
    const gradeItem = lineItem(classId, r.courseSmsId, 'grade');
    rows.push({
      ...common,
      sourcedId: `${gradeItem}-${r.personSmsId}`,
      lineItemSourcedId: gradeItem,
      score: r.gradePercent === null ? '' : percent(r.gradePercent),
      textScore: r.grade ?? '',
      comment: version === '1.1' && r.grade ? `Grade: ${r.grade}` : '',
    });
  }
  if (skipped.noClass > 0) {
    warnings.push({
      message: `${skipped.noClass} result(s) skipped: no OneRoster class is known for the student in that course (import first)`,
      file: 'results.csv',
    });
  }
  if (skipped.textOnly > 0) {
    warnings.push({
      message: `${skipped.textOnly} letter-only grade(s) skipped: OneRoster 1.1 results need a numeric score`,
      file: 'results.csv',
      field: 'score',
    });
  }
  if (skipped.noTerm.size > 0) {
    warnings.push({
      message: `${skipped.noTerm.size} class(es) have no known term, so their line items have no grading period`,
      file: 'lineItems.csv',
    });
  }
  const categories = [{ sourcedId: CATEGORY_ID, status: 'active', dateLastModified: nowIso, title: 'ClassBridge' }];
  return { lineItems: [...lineItems.values()], results: rows, categories };
}
