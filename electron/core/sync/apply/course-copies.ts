import { LmsError, type LmsCourseUpdate } from '../../../../adapters/contract';
import type { CourseCopiesRepository } from '../../store/repositories/course-copies-repository';
import type { CreateCourseOp } from '../plan';
import type { ApplyContext, Pair } from './context';
import { findExistingCourses } from './find-existing';

/**
 * Creates of courses whose rule names a template (mapping.courseTemplates): each is a copy of the template
 * course (LmsAdapter.copyCourse, Moodle's core_course_duplicate_course), then given its idnumber and the SMS
 * dates (updateCourses), since the copy has none of its own and the template's dates. In three steps,
 * each journalled so a run that stops anywhere resumes without a second copy:
 * 1. look the course up as every create does (journalled id, idnumber, shortname); found with our idnumber:
 *    linked; found without one, where `course_copies` says ClassBridge asked for that copy: finished (step 3);
 *    found without one otherwise: an admin's course, linked as it is (as an empty create would);
 * 2. copy: a `course_copies` row before the request, the new id in it when Moodle answers (a lost answer is
 *    looked up by shortname by the adapter; a crash leaves the row, and step 1 of the next run finds it);
 * 3. finish: idnumber and dates in one update_courses batch; the link and the row's removal follow it.
 * A copy Moodle refuses (the template does not exist, the token may not copy) is a run error naming the
 * course and the fix, and that course is not created, empty or otherwise; the rest of the upload goes on.
 */

export interface CourseCopyJournal {
  connectionId: string;
  copies: CourseCopiesRepository;
}

/** Refusals that will refuse every other copy of the same template alike (no request more is useful). */
const PER_TEMPLATE = new Set<LmsError['kind']>(['not-found', 'no-permission', 'require-login']);
/** Refusals of the site or token as a whole: every copy alike. */
const PER_SITE = new Set<LmsError['kind']>(['access']);
/** The LMS or the way to it failed: the apply stops, and the next run resumes (the journal row stays). */
const STOPS = new Set<LmsError['kind']>([
  'network',
  'timeout',
  'server',
  'maintenance',
  'invalid-token',
  'web-services-disabled',
]);

export async function copyCoursesFromTemplates(
  ctx: ApplyContext,
  ops: readonly CreateCourseOp[],
  journal: CourseCopyJournal | undefined,
): Promise<void> {
  if (ops.length === 0) return;
  const adapter = ctx.adapter;
  if (!adapter.copyCourse || !journal) {
    ctx.failAll(
      'createCourses',
      ops.map((op) => ({
        key: op.key,
        error: new LmsError(
          'unexpected',
          `Course ${op.record.shortname} was not created: its rule copies template course ${op.template?.templateCourseId}, and this LMS connection cannot copy courses.`,
          {
            fix: 'Remove the course template rule for these courses (Settings → Provisioning rules) to create them empty.',
          },
        ),
      })),
    );
    return;
  }
  const { connectionId, copies } = journal;
  const pending = copies.pending(connectionId);
  const existing = await findExistingCourses(
    adapter,
    ops.map((op) => ({
      key: op.key,
      record: op.record,
      candidate: ctx.journal.candidate('courses', op.key) ?? pending.get(op.key)?.lmsId ?? undefined,
    })),
  );
  const linkNow: { key: string; lmsId: number }[] = [];
  const conflicts: { key: string; error: LmsError }[] = [];
  const toFinish: Pair<CreateCourseOp, LmsCourseUpdate>[] = [];
  const toCopy: CreateCourseOp[] = [];
  for (const op of ops) {
    const match = existing.get(op.key);
    const ours = pending.get(op.key);
    if (!match) toCopy.push(op);
    else if ('conflict' in match) conflicts.push({ key: op.key, error: match.conflict });
    else if (
      match.found.idnumber === '' &&
      ours &&
      (ours.lmsId === match.found.id || ours.shortname === match.found.shortname)
    )
      toFinish.push({ op, record: finishing(op, match.found.id) }); // our copy, interrupted before its idnumber
    else {
      if (ours) copies.remove(connectionId, op.key);
      linkNow.push({ key: op.key, lmsId: match.found.id });
    }
  }
  ctx.failAll('createCourses', conflicts);
  ctx.linkExisting('createCourses', 'courses', linkNow);

  // One course per request: Moodle backs the template up and restores it inside the call.
  const refused = new Map<string, LmsError>();
  const refusedFor = (op: CreateCourseOp) =>
    refused.get('site') ?? refused.get(`template:${op.template?.templateCourseId}`);
  let copied = 0;
  for (const op of toCopy) {
    ctx.checkAborted();
    const template = op.template!;
    const known = refusedFor(op);
    if (known) {
      ctx.failAll('createCourses', [{ key: op.key, error: known }]);
      continue;
    }
    copies.start(connectionId, op.key, op.record.shortname, template.templateCourseId);
    try {
      const made = await adapter.copyCourse({
        templateCourseId: template.templateCourseId,
        fullname: op.record.fullname,
        shortname: op.record.shortname,
        categoryId: op.record.categoryId,
        ...(op.record.visible !== undefined ? { visible: op.record.visible } : {}),
      });
      copies.made(connectionId, op.key, made.id);
      copied += 1;
      toFinish.push({ op, record: finishing(op, made.id) });
    } catch (e) {
      if (!(e instanceof LmsError) || STOPS.has(e.kind)) throw e;
      // Moodle refuses before it makes anything, except a failure inside the restore ('unexpected'):
      // then the row stays, and the next run finds what was made by its shortname.
      if (e.kind !== 'unexpected') copies.remove(connectionId, op.key);
      if (PER_SITE.has(e.kind)) refused.set('site', e);
      else if (PER_TEMPLATE.has(e.kind)) refused.set(`template:${template.templateCourseId}`, e);
      ctx.failAll('createCourses', [{ key: op.key, error: e }]);
    }
  }

  const idOf = new Map(toFinish.map((p) => [p.op.key, p.record.id]));
  await ctx.send(
    'createCourses',
    toFinish,
    (records) => adapter.updateCourses(records),
    (op) => {
      copies.remove(connectionId, op.key);
      return { entity: 'courses', smsId: op.key, lmsId: idOf.get(op.key)! };
    },
  );
  if (copied > 0)
    ctx.notes.push(`${copied} ${copied === 1 ? 'course was' : 'courses were'} made from a template course.`);
}

/** What the copy lacks: the idnumber ClassBridge matches on and the SMS dates (the copy has the template's). */
function finishing(op: CreateCourseOp, id: number): LmsCourseUpdate {
  const { idnumber, startDate, endDate } = op.record;
  return {
    id,
    ...(idnumber !== undefined ? { idnumber } : {}),
    ...(startDate !== undefined ? { startDate } : {}),
    ...(endDate !== undefined ? { endDate } : {}),
  };
}
