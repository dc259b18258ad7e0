import { z } from 'zod';
import { LmsError, type LmsCourseCopy, type LmsCourseRecord } from '../../contract';
import type { FormValue } from './form-encoding';
import { parseAnswer } from './schemas';

/**
 * A course made from a template through core_course_duplicate_course (course/externallib.php, Moodle 2.3+,
 * unchanged in 5.x). Chosen over create_courses + core_course_import_course because it copies the whole
 * course as a backup does (sections, activities, gradebook with its categories) in one request, and import
 * needs the target's backup:backuptargetimport / restore:restoretargetimport on top. What it means here:
 * - it makes the course itself, with the given names, category and visibility but the template's settings
 *   (dates included) and no idnumber, so the caller sets idnumber and dates afterwards (updateCourses);
 * - it runs a backup and a restore inside the request: slow (seconds per course), one course per call;
 * - no backup options are sent: Moodle's defaults copy activities, blocks and filters and no users for a
 *   token without moodle/backup:userinfo, and sending any option needs moodle/backup:configure (else
 *   base_setting_exception setting_locked_by_permission);
 * - not idempotent: a lost answer is looked up by the shortname (unique in Moodle) before it is reported.
 */

export const COURSE_COPY_FUNCTION = 'core_course_duplicate_course';

const SERVICE_PATH =
  'Site administration › Server › Web services › External services › (the ClassBridge service) › Functions';
const ROLE_PATH =
  'Site administration › Users › Permissions › Define roles (the role the web-service user has at system level)';

/** What the adapter lends this module. */
export interface CourseCopyPort {
  write(fn: string, params: Record<string, FormValue>, idempotent: boolean, items: number): Promise<unknown>;
  functions(): Promise<ReadonlySet<string>>;
  findCourses(field: 'shortname', values: readonly string[]): Promise<LmsCourseRecord[]>;
}

const AnswerSchema = z.object({ id: z.number().int(), shortname: z.string() });

/** The request may have run although no answer came (not refused, not provably unsent). */
const mayHaveRun = (e: LmsError): boolean =>
  !e.details.notSent &&
  (e.kind === 'network' || e.kind === 'timeout' || e.kind === 'server' || e.kind === 'unexpected');

export async function copyCourse(
  port: CourseCopyPort,
  copy: LmsCourseCopy,
): Promise<{ id: number; shortname: string }> {
  const what = `course ${copy.shortname} from template course ${copy.templateCourseId}`;
  if (!(await port.functions()).has(COURSE_COPY_FUNCTION))
    throw new LmsError('access', `${COURSE_COPY_FUNCTION} is not in the token's service, so ${what} cannot be made.`, {
      operation: COURSE_COPY_FUNCTION,
      fix: `Add ${COURSE_COPY_FUNCTION} to the ClassBridge service (${SERVICE_PATH}), or remove the course template rule to create such courses empty.`,
      retryable: false,
    });
  try {
    const answer = await port.write(
      COURSE_COPY_FUNCTION,
      {
        courseid: copy.templateCourseId,
        fullname: copy.fullname,
        shortname: copy.shortname,
        categoryid: copy.categoryId,
        visible: copy.visible === false ? 0 : 1,
      },
      false,
      1,
    );
    return parseAnswer(AnswerSchema, answer, COURSE_COPY_FUNCTION);
  } catch (e) {
    if (!(e instanceof LmsError)) throw e;
    if (mayHaveRun(e)) {
      const made = (await port.findCourses('shortname', [copy.shortname]).catch(() => [])).find(
        (c) => c.shortname === copy.shortname && c.idnumber === '',
      );
      if (made) return { id: made.id, shortname: made.shortname };
    }
    throw withCopyFix(e, copy, what);
  }
}

/** Moodle's refusals of a copy, each with the fix that names the template and what to change. */
function withCopyFix(e: LmsError, copy: LmsCourseCopy, what: string): LmsError {
  const again = (kind: LmsError['kind'], message: string, fix: string) =>
    new LmsError(kind, message, { ...e.details, fix, retryable: false });
  switch (e.code) {
    case 'invalidcourseid':
      return again(
        'not-found',
        `Template course ${copy.templateCourseId} does not exist in the LMS, so ${copy.shortname} was not made from it.`,
        `Correct templateCourseId in the connection's mapping (courseTemplates): it is the number in the template course's address (course/view.php?id=…). Or remove the rule to create such courses empty.`,
      );
    case 'nopermissions':
      return again(
        'no-permission',
        `${e.message} (copying ${what})`,
        `Copying a course needs moodle/course:create and moodle/restore:restorecourse in the category and moodle/backup:backupcourse in the template course: allow them for the ClassBridge role at system level (${ROLE_PATH}).`,
      );
    case 'requireloginerror':
    case 'errorcoursecontextnotvalid':
      return again(
        'require-login',
        `${e.message} (copying ${what})`,
        `The token's user cannot enter template course ${copy.templateCourseId}: template courses are often hidden, so give the ClassBridge role moodle/course:view and moodle/course:viewhiddencourses at system level.`,
      );
    case 'invalidrecord':
    case 'invalidrecordunknown':
      return again(
        'not-found',
        `Category ${copy.categoryId} does not exist in the LMS, so ${what} was not made.`,
        "Correct the category in the connection's mapping (newCourseCategoryId, courseCategories).",
      );
    default:
      return e;
  }
}
