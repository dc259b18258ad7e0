/**
 * Moodle's records ↔ ours: request fields in Moodle's names, answers turned into contract records,
 * per-item warnings into outcomes, and the percentage of a grade.
 */
import {
  LmsError,
  type BatchResult,
  type ItemOutcome,
  type LmsCourseRecord,
  type LmsGradeItem,
  type LmsGroupRecord,
  type LmsUser,
  type NewLmsCourse,
  type NewLmsUser,
} from '../../contract';
import type { FormValue } from './form-encoding';
import type * as S from './schemas';

/** Our course fields as Moodle names them; undefined fields are left out of the request. */
export function courseFields(c: Partial<NewLmsCourse>): Record<string, FormValue> {
  return {
    fullname: c.fullname,
    shortname: c.shortname,
    categoryid: c.categoryId,
    idnumber: c.idnumber,
    summary: c.summary,
    visible: c.visible,
    startdate: c.startDate,
    enddate: c.endDate,
  };
}

export function userFields(u: Partial<NewLmsUser>): Record<string, FormValue> {
  return {
    username: u.username,
    firstname: u.firstname,
    lastname: u.lastname,
    email: u.email,
    idnumber: u.idnumber,
    auth: u.auth,
    ...profileFieldsOf(u.profileFields),
  };
}

const CUSTOM_FIELD = /^profile_field_(.+)$/;

/** Standard fields as top-level keys; custom ones as customfields[j]{type=<shortname>, value} (reference §3.2). */
function profileFieldsOf(fields: Readonly<Record<string, string>> | undefined): Record<string, FormValue> {
  if (!fields) return {};
  const out: Record<string, FormValue> = {};
  const custom: { type: string; value: string }[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const shortname = CUSTOM_FIELD.exec(name)?.[1];
    if (shortname) custom.push({ type: shortname, value });
    else out[name] = value;
  }
  if (custom.length > 0) out.customfields = custom;
  return out;
}

export function ok<T>(value: T | undefined): ItemOutcome<T> | undefined {
  return value === undefined ? undefined : { ok: true, value };
}

export function chunk<T>(values: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < values.length; i += size) parts.push(values.slice(i, i + size));
  return parts;
}

export function withWarnings(
  ids: readonly number[],
  warnings: readonly { itemid?: number | undefined; warningcode: string; message: string }[],
  operation: string,
): ItemOutcome<null>[] {
  const byId = new Map(warnings.filter((w) => w.itemid !== undefined).map((w) => [w.itemid as number, w]));
  return ids.map((id) => {
    const w = byId.get(id);
    if (!w) return { ok: true, value: null };
    const kind = /invalid.*id|notfound|missing/i.test(w.warningcode) ? 'not-found' : 'invalid-parameter';
    return {
      ok: false,
      error: new LmsError(kind, `${operation}: ${w.message} (${w.warningcode})`, { operation, code: w.warningcode }),
    };
  });
}

/** Puts the outcomes of the records that were sent back among those refused before sending. */
export function mergeOutcomes<T>(
  total: number,
  preflight: readonly ItemOutcome<unknown>[],
  sentIndexes: readonly number[],
  sent: BatchResult<T>,
): BatchResult<T> {
  const outcomes: ItemOutcome<T>[] = new Array<ItemOutcome<T>>(total);
  preflight.forEach((o, i) => {
    if (!o.ok) outcomes[i] = o;
  });
  sentIndexes.forEach((index, k) => {
    outcomes[index] = sent.outcomes[k] as ItemOutcome<T>;
  });
  return { outcomes, notes: sent.notes };
}

export function toCourse(c: S.CourseRecordAnswer): LmsCourseRecord {
  return {
    id: c.id,
    shortname: c.shortname,
    fullname: c.fullname,
    idnumber: c.idnumber ?? '',
    categoryId: c.categoryid ?? 0,
    visible: c.visible ?? true,
  };
}

export function toUser(u: S.UserAnswer): LmsUser {
  return {
    id: u.id,
    username: u.username ?? '',
    firstname: u.firstname ?? '',
    lastname: u.lastname ?? '',
    email: u.email ?? '',
    idnumber: u.idnumber ?? '',
    suspended: u.suspended ?? false,
    auth: u.auth ?? '',
    ...(u.customfields?.length
      ? {
          profileFields: u.customfields
            .filter((f) => f.shortname)
            .map((f) => ({ shortname: f.shortname!, name: f.name ?? f.shortname! })),
        }
      : {}),
  };
}

export function toGroup(g: {
  id: number;
  courseid: number;
  name: string;
  idnumber?: string | undefined;
}): LmsGroupRecord {
  return { id: g.id, courseId: g.courseid, name: g.name, idnumber: g.idnumber ?? '' };
}

const ITEM_TYPES = new Set(['course', 'category', 'mod', 'manual']);

export function toGradeItem(i: S.GradeItemAnswer): LmsGradeItem {
  const raw = i.graderaw ?? null;
  const min = i.grademin ?? null;
  const max = i.grademax ?? null;
  return {
    id: i.id,
    name: i.itemname ?? '',
    type: (ITEM_TYPES.has(i.itemtype) ? i.itemtype : 'manual') as LmsGradeItem['type'],
    module: i.itemmodule ?? null,
    cmid: i.cmid ?? null,
    hidden: i.gradeishidden ?? false,
    gradeMin: min,
    gradeMax: max,
    raw,
    formatted: i.gradeformatted ?? null,
    percentage: percentageOf(raw, min, max, i.percentageformatted),
  };
}

/** From the raw grade and range (the report's percentage column may be switched off), else its text. */
export function percentageOf(
  raw: number | null,
  min: number | null,
  max: number | null,
  formatted?: string,
): number | null {
  if (raw !== null && min !== null && max !== null && max > min) {
    return Math.round(((raw - min) / (max - min)) * 100 * 100) / 100;
  }
  const match = formatted ? /(-?\d+(?:[.,]\d+)?)\s*%/.exec(formatted) : null;
  return match?.[1] ? Number(match[1].replace(',', '.')) : null;
}
