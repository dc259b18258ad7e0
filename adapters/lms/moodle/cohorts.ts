import { z } from 'zod';
import {
  LmsError,
  type BatchResult,
  type ItemOutcome,
  type LmsCohortMember,
  type LmsCohortRecord,
  type NewLmsCohort,
} from '../../contract';
import type { BatchSpec } from './batch-runner';
import type { FormValue } from './form-encoding';
import { ok } from './records';
import { parseAnswer } from './schemas';

/**
 * Cohorts through Moodle's core_cohort_* functions (cohort/externallib.php, Moodle 2.5+, unchanged in 5.x):
 * - create_cohorts is all-or-nothing, and a duplicate idnumber is only "Invalid parameter value detected"
 *   in production (the reason is debuginfo), so the apply step lists cohorts first and links what exists;
 *   the batch runner bisects a refused batch as for every other create;
 * - add_cohort_members answers warnings, not errors, for an unknown cohort or user (warningcode 2) and for
 *   a membership that already exists (warningcode 3): the last is success, so a resumed run is harmless;
 * - delete_cohort_members refuses the whole call for an unknown cohort or user (bisected to the one).
 * A service without these functions, or a role without moodle/cohort:manage (create) or
 * moodle/cohort:assign (members), is a connection-level LmsError whose fix names what to add.
 */

export const COHORT_FUNCTIONS = {
  list: 'core_cohort_get_cohorts',
  create: 'core_cohort_create_cohorts',
  add: 'core_cohort_add_cohort_members',
  remove: 'core_cohort_delete_cohort_members',
} as const;

const SERVICE_PATH =
  'Site administration › Server › Web services › External services › (the ClassBridge service) › Functions';
const ROLE_PATH =
  'Site administration › Users › Permissions › Define roles (the role the web-service user has at system level)';

/** What the adapter lends this module: its transport and batch runner. */
export interface CohortPort {
  read(fn: string, params: Record<string, FormValue>): Promise<unknown>;
  write(fn: string, params: Record<string, FormValue>, idempotent: boolean, items: number): Promise<unknown>;
  batch<I, R>(spec: Omit<BatchSpec<I, R>, 'batchSize' | 'varBudget' | 'maxAttempts'>): Promise<BatchResult<R>>;
  functions(): Promise<ReadonlySet<string>>;
}

const int = z.number().int();
const CohortSchema = z.object({ id: int, name: z.string(), idnumber: z.string().nullable().optional() });
const CohortsSchema = z.array(CohortSchema);
const AddMembersSchema = z
  .object({ warnings: z.array(z.object({ warningcode: z.string(), message: z.string() })).default([]) })
  .nullable();

const toRecord = (c: z.infer<typeof CohortSchema>): LmsCohortRecord => ({
  id: c.id,
  name: c.name,
  idnumber: c.idnumber ?? '',
});

/** The fix for a token that may not do this, naming the function or capability. */
function withCohortFix(error: unknown, fn: string, capability: string): unknown {
  if (!(error instanceof LmsError)) return error;
  if (error.kind === 'no-permission')
    return new LmsError(error.kind, error.message, {
      ...error.details,
      fix: `The ClassBridge role lacks ${capability}. Allow it under ${ROLE_PATH}, or remove the cohort rules from the connection's mapping.`,
    });
  if (error.kind === 'access')
    return new LmsError(error.kind, error.message, {
      ...error.details,
      fix: `Add ${fn} (and the other core_cohort_* functions ClassBridge uses: ${Object.values(COHORT_FUNCTIONS).join(', ')}) under ${SERVICE_PATH}, or remove the cohort rules from the connection's mapping.`,
    });
  return error;
}

export class MoodleCohorts {
  constructor(private readonly port: CohortPort) {}

  /** The cohort functions the service does not allow, by site info (one read, cached by the adapter). */
  async missingFunctions(): Promise<string[]> {
    const functions = await this.port.functions();
    return Object.values(COHORT_FUNCTIONS).filter((f) => !functions.has(f));
  }

  /** Refuses before any request when site info says the service lacks the function. */
  private async needs(fn: string, capability: string): Promise<void> {
    const functions = await this.port.functions();
    if (functions.has(fn)) return;
    throw withCohortFix(
      new LmsError('access', `${fn}: the ClassBridge service on the LMS does not allow this function`, {
        operation: fn,
        code: 'accessexception',
      }),
      fn,
      capability,
    );
  }

  private async guarded<T>(fn: string, capability: string, work: () => Promise<T>): Promise<T> {
    await this.needs(fn, capability);
    try {
      return await work();
    } catch (err) {
      throw withCohortFix(err, fn, capability);
    }
  }

  /** Every cohort of the site (get_cohorts with no ids); one request. */
  list(): Promise<LmsCohortRecord[]> {
    const op = COHORT_FUNCTIONS.list;
    return this.guarded(op, 'moodle/cohort:view or moodle/cohort:manage', async () =>
      parseAnswer(CohortsSchema, await this.port.read(op, {}), op).map(toRecord),
    );
  }

  create(cohorts: readonly NewLmsCohort[]): Promise<BatchResult<LmsCohortRecord>> {
    const op = COHORT_FUNCTIONS.create;
    const encode = (c: NewLmsCohort): FormValue => ({
      categorytype:
        c.categoryId === undefined ? { type: 'system', value: '' } : { type: 'id', value: String(c.categoryId) },
      name: c.name,
      idnumber: c.idnumber,
      ...(c.description !== undefined ? { description: c.description } : {}),
    });
    return this.guarded(op, 'moodle/cohort:manage', () =>
      this.port.batch({
        operation: op,
        items: cohorts,
        encode,
        send: async (chunk) => {
          const created = parseAnswer(
            CohortsSchema,
            await this.port.write(op, { cohorts: chunk.map(encode) }, false, chunk.length),
            op,
          );
          const byIdnumber = new Map(created.map((c) => [c.idnumber ?? '', toRecord(c)]));
          return chunk.map((c) => ok(byIdnumber.get(c.idnumber)));
        },
        // After a timeout: the cohorts the LMS made anyway, by idnumber, so nothing is made twice.
        reconcile: async (chunk) => {
          const existing = new Map((await this.list()).map((c) => [c.idnumber, c]));
          return chunk.map((c) => existing.get(c.idnumber));
        },
      }),
    );
  }

  addMembers(members: readonly LmsCohortMember[]): Promise<BatchResult<null>> {
    const op = COHORT_FUNCTIONS.add;
    const encode = (m: LmsCohortMember): FormValue => ({
      cohorttype: { type: 'id', value: String(m.cohortId) },
      usertype: { type: 'id', value: String(m.userId) },
    });
    return this.guarded(op, 'moodle/cohort:assign', () =>
      this.port.batch({
        operation: op,
        items: members,
        encode,
        send: async (chunk) => {
          const answer = parseAnswer(
            AddMembersSchema,
            await this.port.write(op, { members: chunk.map(encode) }, true, chunk.length),
            op,
          );
          return memberOutcomes(chunk, answer?.warnings ?? [], op);
        },
      }),
    );
  }

  removeMembers(members: readonly LmsCohortMember[]): Promise<BatchResult<null>> {
    const op = COHORT_FUNCTIONS.remove;
    const encode = (m: LmsCohortMember): FormValue => ({ cohortid: m.cohortId, userid: m.userId });
    return this.guarded(op, 'moodle/cohort:assign', () =>
      this.port.batch({
        operation: op,
        items: members,
        encode,
        send: async (chunk) => {
          await this.port.write(op, { members: chunk.map(encode) }, true, chunk.length);
          return chunk.map(() => ok(null));
        },
      }),
    );
  }
}

/**
 * add_cohort_members' warnings carry no item index, only the value sent: "cohort id=5 not exists",
 * "user id=9 not exists" (warningcode 2). Each fails every item naming that cohort or user; "record
 * already exists" (warningcode 3) is the membership being there already, which is what was asked.
 */
export function memberOutcomes(
  chunk: readonly LmsCohortMember[],
  warnings: readonly { warningcode: string; message: string }[],
  operation: string,
): ItemOutcome<null>[] {
  const missingCohorts = new Map<number, string>();
  const missingUsers = new Map<number, string>();
  for (const w of warnings) {
    const cohort = /^cohort id=(\d+) not exists$/.exec(w.message);
    if (cohort) missingCohorts.set(Number(cohort[1]), w.message);
    const user = /^user id=(\d+) not exists$/.exec(w.message);
    if (user) missingUsers.set(Number(user[1]), w.message);
  }
  return chunk.map((m) => {
    const message = missingCohorts.get(m.cohortId) ?? missingUsers.get(m.userId);
    if (message === undefined) return { ok: true, value: null };
    return {
      ok: false,
      error: new LmsError('not-found', `${operation}: ${message}`, {
        operation,
        code: '2',
        fix: missingCohorts.has(m.cohortId)
          ? 'The cohort was deleted in the LMS. ClassBridge makes it again on the next upload.'
          : 'The LMS user does not exist any more (deleted by hand?). The next reconcile run repairs the link.',
      }),
    };
  });
}
