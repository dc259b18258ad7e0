import type { BatchResult, LmsError, LmsGroupRecord, LmsUserUpdate, NewLmsGroup } from '../../../../adapters/contract';
import type { CreateCourseOp, CreateGroupOp, CreateUserOp } from '../plan';
import type { ApplyContext, Pair } from './context';
import { findExistingCourses, findExistingGroups, findExistingUsers, userCorrection } from './find-existing';

/**
 * The three creates. Each batch first looks for its records in the LMS (by the id an interrupted
 * apply journalled, then idnumber, then username/shortname/name) and links what it finds; only the
 * rest is created. So a crash between a create and its journal entry never makes a duplicate.
 */

export async function createUsers(ctx: ApplyContext, ops: readonly CreateUserOp[]): Promise<void> {
  await ctx.pipelined(ops, async (batch) => {
    const existing = await findExistingUsers(
      ctx.adapter,
      batch.map((op) => ({ key: op.key, record: op.record, candidate: ctx.journal.candidate('people', op.key) })),
    );
    const conflicts: { key: string; error: LmsError }[] = [];
    const linkNow: { key: string; lmsId: number }[] = [];
    const corrections: Pair<CreateUserOp, LmsUserUpdate>[] = [];
    const toCreate: Pair<CreateUserOp, CreateUserOp['record']>[] = [];
    for (const op of batch) {
      const match = existing.get(op.key);
      if (!match) toCreate.push({ op, record: op.record });
      else if ('conflict' in match) conflicts.push({ key: op.key, error: match.conflict });
      else {
        // Found (usually our own create from an interrupted run): bring it in line with the plan.
        const correction = userCorrection(match.found, op.applied);
        if (correction) corrections.push({ op, record: correction });
        else linkNow.push({ key: op.key, lmsId: match.found.id });
      }
    }
    ctx.failAll('createUsers', conflicts);
    ctx.linkExisting('createUsers', 'people', linkNow);
    const correctedId = new Map(corrections.map((c) => [c.op.key, c.record.id]));
    await ctx.send(
      'createUsers',
      corrections,
      (records) => ctx.adapter.updateUsers(records),
      (op) => {
        ctx.linked += 1;
        return { entity: 'people', smsId: op.key, lmsId: correctedId.get(op.key)! };
      },
    );
    await ctx.send(
      'createUsers',
      toCreate,
      (records) => ctx.adapter.createUsers(records),
      (op, value) => ({ entity: 'people', smsId: op.key, lmsId: value.id }),
    );
  });
}

export async function createCourses(ctx: ApplyContext, ops: readonly CreateCourseOp[]): Promise<void> {
  await ctx.pipelined(ops, async (batch) => {
    const existing = await findExistingCourses(
      ctx.adapter,
      batch.map((op) => ({ key: op.key, record: op.record, candidate: ctx.journal.candidate('courses', op.key) })),
    );
    const conflicts: { key: string; error: LmsError }[] = [];
    const linkNow: { key: string; lmsId: number }[] = [];
    const toCreate: Pair<CreateCourseOp, CreateCourseOp['record']>[] = [];
    for (const op of batch) {
      const match = existing.get(op.key);
      if (!match) toCreate.push({ op, record: op.record });
      else if ('conflict' in match) conflicts.push({ key: op.key, error: match.conflict });
      // Found: adopted as it is (as the planner adopts matched courses: an LMS course is never renamed on sight).
      else linkNow.push({ key: op.key, lmsId: match.found.id });
    }
    ctx.failAll('createCourses', conflicts);
    ctx.linkExisting('createCourses', 'courses', linkNow);
    await ctx.send(
      'createCourses',
      toCreate,
      (records) => ctx.adapter.createCourses(records),
      (op, value) => ({ entity: 'courses', smsId: op.key, lmsId: value.id }),
    );
  });
}

export async function createGroups(ctx: ApplyContext, ops: readonly CreateGroupOp[]): Promise<void> {
  const resolved = ctx.resolveAll('createGroups', ops, (op) => op.record);
  let warned = false;
  await ctx.pipelined(resolved, async (batch) => {
    // Moodle refuses a second group with the same name or idnumber in a course, so a group can be
    // created without looking first: a refusal is looked up and linked instead (below). Looking
    // first costs one request per course (800 for a large school). Only a group an interrupted
    // apply may already have made (journalled candidate) is looked for before.
    const maybeMade = batch.filter((p) => ctx.journal.candidate('groups', p.op.key) !== undefined);
    const existing =
      maybeMade.length === 0
        ? new Map<string, { found: LmsGroupRecord }>()
        : await findExistingGroups(
            ctx.adapter,
            maybeMade.map((p) => ({
              key: p.op.key,
              record: p.record,
              candidate: ctx.journal.candidate('groups', p.op.key),
            })),
          );
    if (existing === undefined && !warned) {
      warned = true;
      ctx.notes.push('This LMS adapter cannot list groups, so groups were created without first checking for them.');
    }
    const linkNow: { key: string; lmsId: number }[] = [];
    const toCreate: typeof batch = [];
    for (const p of batch) {
      const match = existing?.get(p.op.key);
      if (match && 'found' in match) linkNow.push({ key: p.op.key, lmsId: match.found.id });
      else toCreate.push(p);
    }
    ctx.linkExisting('createGroups', 'groups', linkNow);
    await ctx.send(
      'createGroups',
      toCreate,
      async (records) => linkRefusedDuplicates(ctx, records, await ctx.adapter.createGroups(records)),
      (op, value) => ({ entity: 'groups', smsId: op.key, lmsId: value.id }),
    );
  });
}

/**
 * Moodle's answers when the course may already have this group: 'idnumbertaken', or for a taken
 * name a bare invalidparameter (the reason is only in debuginfo, which production sites hide) — so
 * any invalid-parameter refusal is looked up; one that matches nothing stays an error.
 */
function mayBeDuplicateGroup(error: LmsError): boolean {
  return error.code === 'idnumbertaken' || error.kind === 'invalid-parameter';
}

/**
 * Groups the LMS refused as duplicates are looked up in their courses; one that matches (by
 * idnumber, or by name with no other idnumber) is the group to use, so its outcome becomes a success.
 */
async function linkRefusedDuplicates(
  ctx: ApplyContext,
  records: readonly NewLmsGroup[],
  result: BatchResult<LmsGroupRecord>,
): Promise<BatchResult<LmsGroupRecord>> {
  const refused = result.outcomes.flatMap((o, i) => (!o.ok && mayBeDuplicateGroup(o.error) ? [i] : []));
  if (refused.length === 0) return result;
  const found = await findExistingGroups(
    ctx.adapter,
    refused.map((i) => ({ key: String(i), record: records[i]!, candidate: undefined })),
  );
  const outcomes = [...result.outcomes];
  for (const i of refused) {
    const match = found?.get(String(i));
    if (match && 'found' in match) {
      outcomes[i] = { ok: true, value: match.found };
      ctx.linked += 1;
    }
  }
  return { outcomes, notes: result.notes };
}
