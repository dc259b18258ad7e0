import type { LmsError, LmsUserUpdate } from '../../../../adapters/contract';
import type { CreateCourseOp, CreateGroupOp, CreateUserOp } from '../plan';
import type { ApplyContext, Pair } from './context';
import { findExistingCourses, findExistingGroups, findExistingUsers, userCorrection } from './find-existing';

/**
 * The three creates. Each batch first looks for its records in the LMS (by the id an interrupted
 * apply journalled, then idnumber, then username/shortname/name) and links what it finds; only the
 * rest is created. So a crash between a create and its journal entry never makes a duplicate.
 */

export async function createUsers(ctx: ApplyContext, ops: readonly CreateUserOp[]): Promise<void> {
  for (const batch of ctx.batches(ops)) {
    ctx.checkAborted();
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
  }
}

export async function createCourses(ctx: ApplyContext, ops: readonly CreateCourseOp[]): Promise<void> {
  for (const batch of ctx.batches(ops)) {
    ctx.checkAborted();
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
  }
}

export async function createGroups(ctx: ApplyContext, ops: readonly CreateGroupOp[]): Promise<void> {
  const resolved = ctx.resolveAll('createGroups', ops, (op) => op.record);
  let warned = false;
  for (const batch of ctx.batches(resolved)) {
    ctx.checkAborted();
    const existing = await findExistingGroups(
      ctx.adapter,
      batch.map((p) => ({ key: p.op.key, record: p.record, candidate: ctx.journal.candidate('groups', p.op.key) })),
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
      (records) => ctx.adapter.createGroups(records),
      (op, value) => ({ entity: 'groups', smsId: op.key, lmsId: value.id }),
    );
  }
}
