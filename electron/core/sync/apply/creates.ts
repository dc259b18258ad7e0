import {
  LmsError,
  type BatchResult,
  type LmsGroupRecord,
  type LmsSiteInfo,
  type LmsUser,
  type LmsUserUpdate,
  type NewLmsGroup,
  type NewLmsUser,
} from '../../../../adapters/contract';
import type { LinkDecision, LinkReason } from '../../store/repositories/link-decisions-repository';
import type { CreateCourseOp, CreateGroupOp, CreateUserOp } from '../plan';
import { ApplyContext, type Pair } from './context';
import { copyCoursesFromTemplates } from './course-copies';
import {
  findExistingCourses,
  findExistingGroups,
  findExistingUsers,
  nextFreeUsernames,
  userCorrection,
  type AdoptionRules,
  type ProtectedReason,
} from './find-existing';

/**
 * The three creates. Each batch first looks for its records in the LMS (by the id an interrupted
 * apply journalled, then idnumber, then username/shortname/name) and links what it finds; only the
 * rest is created. So a crash between a create and its journal entry never makes a duplicate.
 */

const PROTECTED_WORDS: Record<ProtectedReason, string> = {
  'web-service-user': "it is the account ClassBridge's token signs in as",
  'site-admin': "it is the site's administrator (or guest) account",
  'other-auth': 'it signs in another way than the accounts ClassBridge makes',
};

/**
 * Which accounts are never taken over, as far as Moodle lets ClassBridge tell: its web services say
 * who the token's user is (site info userid) but not who else is an administrator, so the accounts
 * Moodle's installer makes (guest and the main admin: ids 1 and 2, usernames guest and admin) are
 * protected by id and by name; an account with another auth method than new accounts get is too.
 * Site info is asked once, and only when an account was found.
 */
function adoptionRules(ctx: ApplyContext): AdoptionRules {
  let site: Promise<LmsSiteInfo> | undefined;
  return {
    linkExisting: ctx.accounts?.linkExisting ?? false,
    async protectedReason(user, wanted) {
      site ??= ctx.adapter.describe().then((d) => d.site);
      if (user.id === (await site).userId) return 'web-service-user';
      if (user.id <= 2 || user.username === 'admin' || user.username === 'guest') return 'site-admin';
      // '' when the token may not see auth methods (no moodle/user:update): it cannot change the account either.
      if (user.auth !== '' && user.auth !== (wanted.auth ?? 'manual')) return 'other-auth';
      return undefined;
    },
  };
}

function lmsRecord(u: LmsUser): LinkDecision['lms'] {
  const { id, username, firstname, lastname, email, idnumber, auth, suspended } = u;
  return { id, username, firstname, lastname, email, idnumber, auth, suspended };
}

function smsRecord(r: NewLmsUser): LinkDecision['sms'] {
  const { username, firstname, lastname, email, idnumber } = r;
  return { username, firstname, lastname, email, idnumber };
}

/** A decided Link whose account changed since the admin saw it: not linked, said why. */
function linkRefused(d: LinkDecision, why: string): LmsError {
  return new LmsError('conflict', `Not linked to LMS account ${d.lms.username} (id ${d.lmsUserId}): ${why}.`, {
    operation: 'core_user_get_users_by_field',
    fix: `Check the account in the LMS; then choose again with \`classbridge links create ${d.id}\` or \`classbridge links skip ${d.id}\` (or on the dashboard).`,
  });
}

/**
 * User creates, with the admin's link decisions. An LMS account ClassBridge may not take over on its own
 * (findExistingUsers) becomes an open decision, and the person is not created (nor the account touched)
 * until the admin decides: Link (the account becomes this person's and is brought in line), Create with
 * another username, or Skip. Each decision is carried out by the next upload.
 */
export async function createUsers(ctx: ApplyContext, ops: readonly CreateUserOp[]): Promise<void> {
  const rules = adoptionRules(ctx);
  const accounts = ctx.accounts;
  let waiting = 0;
  let skippedByAdmin = 0;
  await ctx.pipelined(ops, async (batch) => {
    const conflicts: { key: string; error: LmsError }[] = [];
    const linkNow: { key: string; lmsId: number }[] = [];
    const corrections: Pair<CreateUserOp, LmsUserUpdate>[] = [];
    const toCreate: Pair<CreateUserOp, CreateUserOp['record']>[] = [];
    const decisionOf = new Map<string, LinkDecision>();
    const toLookUp: { op: CreateUserOp; record: NewLmsUser }[] = [];
    const toLink: { op: CreateUserOp; decision: LinkDecision }[] = [];
    for (const op of batch) {
      const d = accounts?.decisions.forPerson(accounts.connectionId, op.key);
      if (!d || d.appliedAt !== null) {
        toLookUp.push({ op, record: op.record });
        continue;
      }
      decisionOf.set(op.key, d);
      if (d.state === 'skip') {
        skippedByAdmin += 1;
        ctx.skip(
          'createUsers',
          op.key,
          'link-decision',
          `not created: you chose Skip for LMS account ${d.lms.username} (decision ${d.id})`,
        );
      } else if (d.state === 'link') toLink.push({ op, decision: d });
      else if (d.state === 'create') {
        const username = d.username ?? d.suggestedUsername;
        if (username === null) {
          conflicts.push({
            key: op.key,
            error: new LmsError('conflict', `No free username was found for ${op.record.username}.`, {
              fix: `Give this person another username in the SMS, or choose one with \`classbridge links create ${d.id} --username <name>\`.`,
            }),
          });
        } else toLookUp.push({ op, record: { ...op.record, username } });
      } else toLookUp.push({ op, record: op.record }); // still open: looked up again (the account may have changed)
    }

    // Decided Link: the account the admin saw, read again, so what is written is what they chose.
    if (toLink.length > 0) {
      const now = new Map(
        (
          await ctx.adapter.findUsers(
            'id',
            toLink.map((l) => l.decision.lmsUserId),
          )
        ).map((u) => [u.id, u]),
      );
      for (const { op, decision } of toLink) {
        const user = now.get(decision.lmsUserId);
        const reason = user ? await rules.protectedReason(user, op.record) : undefined;
        if (!user) conflicts.push({ key: op.key, error: linkRefused(decision, 'it is no longer in the LMS') });
        else if (user.idnumber !== '' && user.idnumber !== op.record.idnumber)
          conflicts.push({ key: op.key, error: linkRefused(decision, `it now has idnumber "${user.idnumber}"`) });
        else if (reason) conflicts.push({ key: op.key, error: linkRefused(decision, PROTECTED_WORDS[reason]) });
        else {
          const correction = userCorrection(user, op.applied);
          if (correction) corrections.push({ op, record: correction });
          else linkNow.push({ key: op.key, lmsId: user.id });
        }
      }
    }

    const existing = await findExistingUsers(
      ctx.adapter,
      toLookUp.map(({ op, record }) => ({ key: op.key, record, candidate: ctx.journal.candidate('people', op.key) })),
      rules,
    );
    const undecided: { op: CreateUserOp; user: LmsUser; reason: LinkReason; linkable: boolean }[] = [];
    for (const { op, record } of toLookUp) {
      const match = existing.get(op.key);
      if (!match) toCreate.push({ op, record });
      else if ('conflict' in match) conflicts.push({ key: op.key, error: match.conflict });
      else if ('undecided' in match) {
        if (record.username !== op.record.username) {
          // Create with another username found an account again: the admin chooses again.
          conflicts.push({
            key: op.key,
            error: new LmsError(
              'conflict',
              `The username "${record.username}" is taken by LMS account ${match.undecided.id} now.`,
              {
                fix: `Choose another with \`classbridge links create ${decisionOf.get(op.key)?.id ?? ''} --username <name>\`, or change the username in the SMS.`,
              },
            ),
          });
        } else undecided.push({ op, user: match.undecided, reason: match.reason, linkable: match.linkable });
      } else {
        // Found (usually our own create from an interrupted run): bring it in line with the plan.
        const correction = userCorrection(match.found, op.applied);
        if (correction) corrections.push({ op, record: correction });
        else linkNow.push({ key: op.key, lmsId: match.found.id });
      }
    }
    if (undecided.length > 0) {
      if (!accounts) {
        for (const u of undecided)
          conflicts.push({ key: u.op.key, error: usernameHeld(u.op.record, u.user, u.reason) });
      } else {
        const suggestions = await nextFreeUsernames(
          ctx.adapter,
          undecided.map((u) => u.op.record.username),
          new Set(batch.map((op) => op.record.username)),
        );
        for (const u of undecided) {
          const d = accounts.decisions.record({
            connectionId: accounts.connectionId,
            smsId: u.op.key,
            reason: u.reason,
            linkable: u.linkable,
            sms: smsRecord(u.op.record),
            lms: lmsRecord(u.user),
            suggestedUsername: suggestions.get(u.op.record.username),
          });
          waiting += 1;
          ctx.skip(
            'createUsers',
            u.op.key,
            'link-decision',
            `not created: LMS account ${u.user.username} (id ${u.user.id}) has this username; waiting for your decision ${d.id}`,
          );
        }
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
    // A decision is carried out once its person is in the LMS (linked or created).
    for (const [key, d] of decisionOf)
      if (ctx.done.has(ApplyContext.doneKey('createUsers', key))) accounts?.decisions.markApplied(d.id);
  });
  if (waiting > 0)
    ctx.notes.push(
      `${waiting} ${waiting === 1 ? 'person was' : 'people were'} not created: an LMS account already has their username and ClassBridge does not take accounts over on its own. Decide under Existing LMS accounts on the dashboard, or with \`classbridge links list\`.`,
    );
  if (skippedByAdmin > 0)
    ctx.notes.push(
      `${skippedByAdmin} ${skippedByAdmin === 1 ? 'person was' : 'people were'} not created: you chose Skip for their existing LMS account.`,
    );
}

/** Without a decision store (not from applyPlan): an account that may not be taken over is a per-record error. */
function usernameHeld(wanted: NewLmsUser, user: LmsUser, reason: LinkReason): LmsError {
  const why = reason === 'no-idnumber' ? 'it has no idnumber, so it may be someone else' : PROTECTED_WORDS[reason];
  return new LmsError(
    'conflict',
    `The username "${wanted.username}" is used by LMS account ${user.id}, which ClassBridge does not take over: ${why}.`,
    {
      operation: 'core_user_create_users',
      fix: 'Change the username in the SMS, or link the account by hand, then run the upload again.',
    },
  );
}

export async function createCourses(ctx: ApplyContext, all: readonly CreateCourseOp[]): Promise<void> {
  // Courses a template rule names are copies, made their own way (course-copies.ts); the rest are empty creates.
  await copyCoursesFromTemplates(
    ctx,
    all.filter((op) => op.template),
    ctx.courseCopies,
  );
  const ops = all.filter((op) => !op.template);
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
