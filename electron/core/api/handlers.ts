import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { backupDatabase, type RestoreResult } from '../store/backup';
import { checkKeychain, type KeychainCheck, type SecretStore } from '../secrets';
import type { Store } from '../store/store';
import { ApiError } from '../contract/errors';
import { connectionRuleBreak } from '../connections/connection-rules';
import type { ApiEvent, ApiEventPayload, ApiMethod, ApiOutput, ApiParsedInput, Status } from '../contract/contract';
import { capabilityWarnings } from '../lms/capability-warnings';
import { cohortWarnings } from '../lms/cohort-warnings';
import { recordsWithLmsAccounts } from './preview-accounts';
import { backupsFolder, damagedDatabaseMessage, integrityAtOpen, listBackups } from '../store/integrity';
import { testLmsConnection } from '../lms/test-connection';
import { readAccountFacts } from '../lms/account-facts';
import { smsOptionsProblem, smsProviderList } from '../sms/providers';
import { lmsProviderList } from '../lms/providers';
import { previewUpload } from '../sync/upload/preview-upload';
import type { Logger } from '../logging/logger';
import { buildStatus } from './status';
import { recordNames } from './record-names';
import { leaveAloneHandlers, withLeaveAlone } from './leave-alone-handlers';
import { coursesNotInLms } from './courses-not-in-lms';
import { resultsReviewHandlers } from './results-review-handlers';
import { readinessHandlers } from './readiness-handlers';
import { alertsHandlers } from './alerts-handlers';
import { checkUsername } from '../sync/plan';
import type { LinkReason } from '../store/repositories/link-decisions-repository';

/** Why an account is never linked, as the Api says it. */
const LINK_REFUSALS: Record<LinkReason, string> = {
  'no-idnumber': 'it has no idnumber',
  'web-service-user': "it is the account ClassBridge's token signs in as",
  'site-admin': "it is the site's administrator (or guest) account",
  'other-auth': 'it signs in another way than the accounts ClassBridge makes',
};
import {
  PART_OF_SYNC_TARGET,
  type HeldPlan,
  type LmsConnection,
  type Part,
  type SyncTarget,
  type UploadKind,
} from '../model';
import type { PartOutcome } from '../sync/run-part';
import type { RecordRef, UploadPart } from '../sync/apply';

export interface ApiDeps {
  store: Store;
  secrets: SecretStore;
  logger?: Logger;
  /** The SMS receiver's state, where the engine runs one (the worker does; one-shot CLI commands do not). */
  receiverStatus?: () => Status['receiver'];
  /** The scheduler's "run now", where the engine runs one (the worker does; one-shot CLI commands do not). */
  sync?: {
    runNow(target: SyncTarget, connectionId?: string, options?: RunNowOptions): Promise<RunNowResult[]>;
    retryRecord(
      connectionId: string,
      part: UploadPart,
      record: RecordRef,
    ): Promise<{ outcome: string; message: string }>;
    nextRun(connectionId: string, part: Part): Date | undefined;
    progressOf(
      connectionId: string,
      part: Part,
    ): { done: number; total: number; perMinute?: number | null } | undefined;
    /** An LMS the scheduler leaves out until its token is stored (sync/token-gate). */
    waitingForToken?(connectionId: string): boolean;
  };
  /** Swaps the database for a backup under the running engine (createEngine provides it). */
  restore?: (file: string) => Promise<RestoreResult>;
  emit<E extends ApiEvent>(event: E, payload: ApiEventPayload<E>): void;
}

/** How a "run now" runs: one kind of record only (an upload), and what to do while another process writes. */
export interface RunNowOptions {
  only?: UploadKind;
  ifBusy?: 'wait' | 'give-up';
}
export type RunNowResult = { connectionId: string } & PartOutcome;

export type Handlers = {
  [M in ApiMethod]: (input: ApiParsedInput<M>) => ApiOutput<M> | Promise<ApiOutput<M>>;
};

/**
 * A run's answer with what the admin needs next: the run, how many records did not sync, the
 * diagnosed cause of a failure (site info names what the token may no longer call — not the LMS's
 * raw error, which lists every possible cause), the held plan to review, who holds the LMS when busy.
 */
function describeRun(store: Store, result: RunNowResult, part: Part): ApiOutput<'sync:runNow'>[number] {
  const { connectionId, outcome, message, holder } = result;
  const run = outcome === 'busy' ? undefined : store.runs.last(connectionId, part);
  const cause = outcome === 'failed' && run ? store.runs.connectionError(run.id) : undefined;
  const held = outcome === 'held' ? store.heldPlans.list({ connectionId, states: ['pending'] })[0] : undefined;
  return {
    connectionId,
    outcome,
    message,
    ...(run ? { runId: run.id } : {}),
    ...(run?.counts.failed ? { failed: run.counts.failed } : {}),
    ...(cause ? { cause: { summary: cause.message, fix: cause.fix } } : {}),
    ...(held ? { heldPlanId: held.id } : {}),
    ...(holder ? { holder } : {}),
  };
}

/** A saved LMS connection and its stored token, or the error that says what is missing. */
async function storedLms(
  store: Store,
  secrets: SecretStore,
  connectionId: string,
): Promise<{ connection: LmsConnection; token: string }> {
  const connection = store.connections.get(connectionId);
  if (!connection) {
    throw new ApiError({
      code: 'not-found',
      message: `There is no connection "${connectionId}".`,
      field: 'connectionId',
    });
  }
  if (connection.kind !== 'lms') {
    throw new ApiError({
      code: 'invalid-input',
      message: `"${connection.name}" is an SMS connection: check an export with \`classbridge check <file|folder>\`; an SMS that sends to ClassBridge shows its receiver on the dashboard.`,
      field: 'connectionId',
    });
  }
  const token = await secrets.get(connection.id, 'token');
  if (!token) {
    throw new ApiError({
      code: 'not-found',
      message: `No web-service token is stored for "${connection.name}". Enter it in the setup wizard, or run: printf %s "$TOKEN" | classbridge secret set ${connection.id} token`,
      field: 'connectionId',
    });
  }
  return { connection, token };
}

function requireConnection(store: Store, id: string): void {
  if (!store.connections.get(id)) {
    throw new ApiError({ code: 'not-found', message: `There is no connection "${id}".`, field: 'connectionId' });
  }
}

/** The Api implemented over the store and the keychain. One function per method, nothing hidden. */
export function createHandlers({ store, secrets, emit, logger, receiverStatus, sync, restore }: ApiDeps): Handlers {
  let keychainOk: KeychainCheck | undefined;
  return {
    'status:get': () => buildStatus(store, receiverStatus?.() ?? null, new Date(), sync),

    'database:backups': () => ({
      folder: backupsFolder(store.file),
      keepDays: store.settings.get().backups.keepDays,
      backups: listBackups(store.file).map((b) => ({ ...b, bytes: statSync(b.file).size })),
    }),
    'database:backup': () => backupDatabase(store),
    'database:restore': ({ file }) => {
      if (!restore)
        throw new ApiError({
          code: 'unavailable',
          message: 'Restoring is done by the engine that holds the database.',
        });
      return restore(file);
    },

    'settings:get': () => store.settings.get(),
    'settings:save': (settings) => {
      store.settings.save(settings);
      emit('settings:changed', {});
      emit('status:changed', {});
      return store.settings.get();
    },

    'providers:list': () => ({ sms: smsProviderList(), lms: lmsProviderList() }),

    'connections:list': () => store.connections.list(),
    'connections:save': (connection) => {
      const broken = connectionRuleBreak(store.connections.list(), [connection]);
      if (broken) throw new ApiError({ code: 'conflict', message: broken.message, field: broken.field });
      const badOptions = smsOptionsProblem([connection]);
      if (badOptions)
        throw new ApiError({ code: 'invalid-input', message: badOptions.message, field: badOptions.field });
      store.connections.save(connection);
      emit('settings:changed', {});
      emit('status:changed', {});
      return store.connections.get(connection.id) ?? connection;
    },
    'connections:remove': async ({ id }) => {
      const removed = store.connections.remove(id);
      // Secrets go with the connection, so a removed LMS token cannot linger in the keychain.
      if (removed) await secrets.deleteAll(id);
      emit('settings:changed', {});
      emit('status:changed', {});
      return { removed };
    },

    'connections:test': async (input) => {
      if ('token' in input) return testLmsConnection(input, input.token, logger);
      const { connection, token } = await storedLms(store, secrets, input.connectionId);
      return testLmsConnection({ ...connection, knownRoles: store.lmsRoles.list(connection.id) }, token, logger);
    },

    'connections:accountFacts': async (input) => {
      if ('token' in input) return readAccountFacts(input, input.token, logger);
      const { connection, token } = await storedLms(store, secrets, input.connectionId);
      return readAccountFacts(connection, token, logger);
    },

    'secrets:list': async ({ connectionId }) => {
      requireConnection(store, connectionId);
      return { names: await secrets.listNames(connectionId) };
    },
    'secrets:keychain': async () => {
      // A working keychain stays working; a missing one is asked again each time (the admin may fix it).
      if (keychainOk) return keychainOk;
      const check = await checkKeychain(secrets);
      if (check.available) keychainOk = check;
      return check;
    },
    'secrets:set': async ({ connectionId, name, value }) => {
      requireConnection(store, connectionId);
      await secrets.set(connectionId, name, value);
      emit('settings:changed', {});
      return { stored: true as const };
    },
    'secrets:generate': async ({ connectionId, name }) => {
      requireConnection(store, connectionId);
      // 32 random bytes: far beyond guessing, and base64url survives copy-paste into any SMS form.
      const secret = randomBytes(32).toString('base64url');
      await secrets.set(connectionId, name, secret);
      // The receiver restarts with the new secret (the engine worker listens for this).
      emit('settings:changed', {});
      return { secret };
    },

    'runs:list': (filter) => store.runs.list(filter),
    'errors:list': (filter) => store.runs.listErrors(filter),
    'errors:groups': (filter) => {
      const { total, groups } = store.runs.errorGroups(filter);
      const names = recordNames(
        store,
        groups.flatMap((g) => g.examples),
      );
      return {
        total,
        groups: groups.map((g) => ({
          ...g,
          examples: g.examples.map((e) => ({ ...e, recordName: names.get(e.id) ?? e.recordKey })),
        })),
      };
    },

    'courses:list': (filter) => {
      const activity = store.lmsCourses.activity(filter.connectionId);
      const courses = withLeaveAlone(store, store.lmsCourses.list(filter));
      return courses.map((course) => {
        const known = activity.get(`${course.connectionId}:${course.lmsId}`);
        if (!known) return course;
        return {
          ...course,
          ...(known.enrolments > 0 ? { enrolments: known.enrolments } : {}),
          ...(known.results > 0
            ? {
                results: {
                  count: known.results,
                  averageProgress: known.averageProgress,
                  updatedAt: known.resultsUpdatedAt,
                },
              }
            : {}),
        };
      });
    },
    'courses:setState': ({ courses, state }) => {
      let changed = 0;
      const skipped: ApiOutput<'courses:setState'>['skipped'] = [];
      store.db.transaction(() => {
        for (const course of courses) {
          const outcome = store.lmsCourses.setState(course.connectionId, course.lmsId, state);
          if (outcome === 'changed') changed += 1;
          else skipped.push({ ...course, reason: outcome });
        }
      })();
      if (changed > 0) {
        emit('courses:changed', {});
        emit('status:changed', {});
      }
      return { changed, skipped };
    },
    'courses:notInLms': (input) => coursesNotInLms(store, input),

    'progress:list': (filter) => {
      const results = store.results.list(filter);
      const names = store.results.personNames();
      return results.map((r) => ({ ...r, personName: names.get(r.personSmsId) ?? null }));
    },

    'sync:preview': async ({ connectionId, mapping }) => {
      const saved = store.connections.get(connectionId);
      if (!saved || saved.kind !== 'lms') {
        throw new ApiError({
          code: 'not-found',
          message: `There is no LMS connection "${connectionId}".`,
          field: 'connectionId',
        });
      }
      // Never plan from a damaged database (the run would refuse it too): say what to restore instead.
      const damage = integrityAtOpen(store.db);
      if (damage && !damage.ok)
        throw new ApiError({ code: 'conflict', message: damagedDatabaseMessage(store.file, damage) });
      // An unsaved mapping (rules being edited) stands in for the saved one; previewUpload writes nothing.
      const connection = mapping ? { ...saved, mapping } : saved;
      const planned = previewUpload(store, connection, store.settings.get()) as ApiOutput<'sync:preview'>;
      // The plan is local; whether the token may carry it out is only known by asking the LMS (harmless probes).
      const token = await secrets.get(connection.id, 'token');
      const warnings = token
        ? await capabilityWarnings(connection, token, planned.counts, store.lmsRoles.list(connection.id), logger)
        : ['No web-service token is stored for this LMS, so the upload would fail: enter it in the setup wizard.'];
      // A service without the cohort functions (a fresh site): said before the first upload.
      const cohortService = token ? await cohortWarnings(connection, token, planned.counts, logger) : [];
      // The table's "create" rows for people: an account already in the LMS shows as the upload would take it.
      const roles = store.lmsRoles.list(connection.id);
      const records = await recordsWithLmsAccounts(connection, token, planned.records, roles, logger);
      return { ...planned, warnings: [...cohortService, ...warnings], ...(records ? { records } : {}) };
    },

    'sync:runNow': async ({ target, connectionId, only, ifBusy }) => {
      if (!sync) {
        throw new ApiError({
          code: 'unavailable',
          message: 'Runs are started by the app or `classbridge serve`; from a terminal use `classbridge sync upload`.',
        });
      }
      if (connectionId !== undefined && store.connections.get(connectionId)?.kind !== 'lms') {
        throw new ApiError({
          code: 'not-found',
          message: `There is no LMS connection "${connectionId}".`,
          field: 'connectionId',
        });
      }
      const results = await sync.runNow(target, connectionId, { ...(only ? { only } : {}), ifBusy });
      emit('status:changed', {});
      return results.map((r) => describeRun(store, r, PART_OF_SYNC_TARGET[target]));
    },

    'runs:repairs': ({ runId }) => store.runs.listRepairs(runId),

    'errors:retry': async ({ id }) => {
      const error = store.runs.getError(id);
      if (!error) throw new ApiError({ code: 'not-found', message: `There is no sync error ${id}.`, field: 'id' });
      if (error.resolvedAt !== null)
        return { outcome: 'ok', message: 'This error is already resolved.', resolved: true };
      const connection = error.connectionId ? store.connections.get(error.connectionId) : undefined;
      if (!connection || connection.kind !== 'lms' || !isUploadPart(error.part) || error.recordKind === 'connection') {
        throw new ApiError({
          code: 'invalid-input',
          message:
            'Only a record that failed to upload can be retried alone; for this error, run the part again (Upload now / Download now).',
          field: 'id',
        });
      }
      if (!sync) {
        throw new ApiError({
          code: 'unavailable',
          message: 'Retries are run by the app or `classbridge serve`; from a terminal use `classbridge sync upload`.',
        });
      }
      const result = await sync.retryRecord(connection.id, error.part, {
        recordKind: error.recordKind,
        recordKey: error.recordKey,
      });
      emit('status:changed', {});
      // A record that fails again closes this error and is recorded as a new one, so this error's
      // own resolved_at would call it fixed: the record is fixed only if no open error names it.
      const again = store.runs.openErrorFor(connection.id, error.recordKind, error.recordKey);
      return { ...result, resolved: again === undefined, ...(again ? { openErrorId: again.id } : {}) };
    },

    'heldPlans:list': ({ connectionId, states }) =>
      store.heldPlans.list({ ...(connectionId ? { connectionId } : {}), ...(states ? { states } : {}) }),

    'heldPlans:decide': async ({ id, decision, upload }) => {
      const existing = store.heldPlans.get(id);
      if (!existing) throw new ApiError({ code: 'not-found', message: `There is no held plan ${id}.`, field: 'id' });
      const plan = store.heldPlans.decide(id, decision === 'approve' ? 'approved' : 'rejected');
      if (!plan) {
        throw new ApiError({
          code: 'conflict',
          message: `This plan is no longer waiting for a decision: ${DECIDED_WORDS[existing.state]}. See the latest held plan.`,
          field: 'id',
        });
      }
      emit('status:changed', {});
      if (decision === 'reject') {
        return {
          plan,
          message: 'Rejected: nothing is removed. Uploads stay held until the SMS data changes.',
          runs: [],
        };
      }
      if (!sync || !upload) {
        return { plan, message: 'Approved: the next upload applies these removals.', runs: [] };
      }
      const runs = await sync.runNow('upload', plan.connectionId);
      emit('status:changed', {});
      return { plan: store.heldPlans.get(id) ?? plan, message: 'Approved and uploaded.', runs };
    },

    'links:list': ({ connectionId, all }) =>
      store.linkDecisions.list({ ...(connectionId ? { connectionId } : {}), ...(all ? { all } : {}) }),

    'links:decide': ({ id, decision, username }) => {
      const existing = store.linkDecisions.get(id);
      if (!existing)
        throw new ApiError({ code: 'not-found', message: `There is no link decision ${id}.`, field: 'id' });
      if (existing.appliedAt !== null) {
        throw new ApiError({
          code: 'conflict',
          message: `Decision ${id} was carried out on ${existing.appliedAt.slice(0, 10)} (${existing.state}); it cannot be changed.`,
          field: 'id',
        });
      }
      if (decision === 'link' && !existing.linkable) {
        throw new ApiError({
          code: 'conflict',
          message: `LMS account ${existing.lms.username} is never linked: ${LINK_REFUSALS[existing.reason]}. Create with another username, or Skip.`,
          field: 'decision',
        });
      }
      if (username !== undefined && decision !== 'create') {
        throw new ApiError({ code: 'invalid-input', message: 'A username goes only with Create.', field: 'username' });
      }
      let chosen: string | undefined;
      if (decision === 'create') {
        const check = checkUsername(username ?? existing.suggestedUsername ?? '');
        if (username === undefined && existing.suggestedUsername === null) {
          throw new ApiError({
            code: 'invalid-input',
            message: `No free username was found for ${existing.sms.username}: give one.`,
            field: 'username',
          });
        }
        if (!check.ok) {
          throw new ApiError({
            code: 'invalid-input',
            message: `The username "${check.username}" ${check.problem}.`,
            field: 'username',
          });
        }
        if (check.username === existing.sms.username || check.username === existing.lms.username) {
          throw new ApiError({
            code: 'invalid-input',
            message: `The username "${check.username}" is the one already taken: choose another.`,
            field: 'username',
          });
        }
        chosen = check.username;
      }
      const decided = store.linkDecisions.decide(id, decision, chosen)!;
      emit('status:changed', {});
      const message =
        decision === 'link'
          ? `Link: the next upload makes LMS account ${decided.lms.username} (id ${decided.lmsUserId}) this person's and updates its names, email and idnumber from the SMS.`
          : decision === 'create'
            ? `Create: the next upload creates a new account ${chosen} for this person; ${decided.lms.username} is left as it is.`
            : `Skip: this person is not created, and ${decided.lms.username} is left as it is.`;
      return { decision: decided, message };
    },

    // Electron's main thread answers this itself; only the headless host's calls reach the engine.
    'app:updateStatus': () => ({
      state: 'unavailable',
      message: 'Automatic updates belong to the desktop app; not available (headless host).',
      currentVersion: null,
      availableVersion: null,
      lastCheckedAt: null,
      feedUrl: null,
    }),
    ...leaveAloneHandlers(store, emit),
    ...alertsHandlers(store, secrets, emit),
    ...resultsReviewHandlers(store, emit),
    ...readinessHandlers(store, secrets, logger),
    'sync:setPaused': ({ paused }) => {
      store.settings.save({ ...store.settings.get(), paused });
      emit('settings:changed', {});
      emit('status:changed', {});
      return { paused };
    },
  };
}

function isUploadPart(part: Part): part is UploadPart {
  return part === 'upload';
}

/** Why a held plan can no longer be decided, in words. */
const DECIDED_WORDS: Record<HeldPlan['state'], string> = {
  pending: 'it is still waiting',
  approved: 'it was already approved',
  rejected: 'it was already rejected',
  applied: 'it was approved and applied',
  superseded: 'a newer upload replaced it (the SMS data changed)',
};
