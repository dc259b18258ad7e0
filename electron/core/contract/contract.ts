/**
 * The one Api contract. The worker implements it, Electron's IPC and the headless host's HTTP both
 * relay it, and the renderer calls it through an ApiClient without knowing which transport it has.
 * Methods are namespaced `area:verb`; every input is validated on the serving side.
 */
import { z } from 'zod';
import {
  ConnectionIdSchema,
  ConnectionSchema,
  CourseStateSchema,
  HeldPlanSchema,
  HeldPlanStateSchema,
  LmsConnectionSchema,
  LmsCourseSchema,
  LmsProviderSchema,
  PartSchema,
  ProviderListSchema,
  ResultSchema,
  RunErrorSchema,
  RunOutcomeSchema,
  RunRepairSchema,
  RunSchema,
  SecretNameSchema,
  SettingsSchema,
  SyncTargetSchema,
  UPLOAD_KINDS,
} from '../model';

import { LinkDecisionSchema } from '../model';
import { LeaveAloneKindSchema, LeaveAloneMarkSchema } from '../model';
import { MappingSchema } from '../model';
import { ResultDecisionSchema, ResultReviewReasonSchema, ResultReviewSchema, ResultReviewStateSchema } from '../model';
import { AlertKindSchema, AlertSecretNameSchema, LateSourceSchema } from '../model';
import { PreviewRecordsSchema } from './preview-records-schema';
import { ConnectionReadinessSchema } from '../model/course-readiness';

const Empty = z.object({}).strict();

export const HealthSchema = z.enum(['never-run', 'ok', 'running', 'warning', 'problem']);
export type Health = z.infer<typeof HealthSchema>;

export const PartStatusSchema = z.object({
  part: PartSchema,
  health: HealthSchema,
  /** The health in words for the admin, with the cause when there is a problem. */
  words: z.string(),
  /** What to do about a warning or problem, when the admin can do something. */
  fix: z.string().optional(),
  lastRun: RunSchema.nullable(),
  /** When the scheduler runs it next (absent where no scheduler runs, e.g. a one-shot CLI command). */
  nextRun: z.string().nullable(),
  /**
   * While it runs: work ended of planned (operations for an upload or reconcile, courses read for a
   * download) and, once measurable, how many a minute (sync/progress/progress-rate.ts), for the time left.
   */
  progress: z
    .object({ done: z.number().int(), total: z.number().int(), perMinute: z.number().nullable().optional() })
    .nullable(),
});

export const StatusSchema = z.object({
  /** True once an SMS (unless the school runs without one) and at least one LMS are configured. */
  setUp: z.boolean(),
  paused: z.boolean(),
  useSms: z.boolean(),
  sms: z.object({ id: z.string(), name: z.string(), provider: z.string(), providerLabel: z.string() }).nullable(),
  lms: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      provider: z.string(),
      url: z.string(),
      parts: z.array(PartStatusSchema),
    }),
  ),
  /** The receiver an SMS pushes to (KAMAR, uploads), when this engine runs one. */
  receiver: z
    .object({
      running: z.boolean(),
      /** What to type into the SMS: never 0.0.0.0 (a receiver on every network shows the LAN address). */
      url: z.string().optional(),
      otherUrls: z.array(z.string()).optional(),
      fingerprint: z.string().optional(),
      warnings: z.array(z.string()),
      reason: z.string().optional(),
    })
    .nullable(),
  openErrors: z.number().int(),
  /** Uploads the safety rail holds for the admin's approval. */
  heldPlans: z.array(HeldPlanSchema.pick({ id: true, connectionId: true, part: true, message: true, createdAt: true })),
  /** Existing LMS accounts waiting for the admin's Link / Create / Skip (nothing is written to them until then). */
  openLinkDecisions: z.number().int(),
  /** KAMAR chunks answered "OK" and not yet stored as an import: a push being received or assembled. */
  kamarChunksKept: z.number().int(),
  courses: z.record(CourseStateSchema, z.number().int()),
  snapshot: z
    .object({
      source: z.string(),
      importedAt: z.string(),
      counts: z.object({ people: z.number(), courses: z.number(), groups: z.number(), enrolments: z.number() }),
    })
    .nullable(),
  /** The newest SMS import (stored or refused): a refused one after the snapshot means the data is stale. */
  lastImport: z.object({ startedAt: z.string(), outcome: RunOutcomeSchema, message: z.string().nullable() }).nullable(),
  /** The SMS has not sent for longer than usual (alerts/late-source.ts): a problem on the dashboard and tray. */
  lateSource: LateSourceSchema.nullable().optional(),
});
export type Status = z.infer<typeof StatusSchema>;

/** `alerts:test`: per channel (the email, each webhook URL), whether it took the test alerts, or why not. */
export const AlertTestResultSchema = z.object({
  channels: z.array(
    z.object({
      channel: z.enum(['email', 'webhook']),
      target: z.string(),
      kinds: z.array(AlertKindSchema),
      ok: z.boolean(),
      error: z.string().optional(),
    }),
  ),
});
export const AlertStatusSchema = z.object({
  enabled: z.boolean(),
  secrets: z.object({ smtpPassword: z.boolean(), webhookSecret: z.boolean() }),
  /** Newest first. */
  recent: z.array(
    z.object({
      at: z.string(),
      kind: AlertKindSchema,
      channel: z.enum(['email', 'webhook']),
      target: z.string(),
      ok: z.boolean(),
      error: z.string().nullable(),
    }),
  ),
  /** Alerts held by quiet hours. */
  waiting: z.number().int(),
});

export const ConnectionTestResultSchema = z.object({
  /** False when ClassBridge could not talk to the LMS at all (then `error` says why). */
  reachable: z.boolean(),
  /** True when everything ClassBridge uses works. */
  ok: z.boolean(),
  site: z
    .object({
      name: z.string(),
      url: z.string(),
      family: z.string(),
      release: z.string(),
      version: z.string(),
      username: z.string(),
    })
    .optional(),
  features: z.array(
    z.object({
      feature: z.string(),
      label: z.string(),
      available: z.boolean(),
      missingFunctions: z.array(z.string()),
      via: z.string().optional(),
      /** Capability ids a probe found missing (moodle/user:create): the service allows the function, the role does not. */
      missingCapabilities: z.array(z.string()).optional(),
      /** What the harmless probe call found: granted, missing, or not checked (and why). */
      probe: z.object({ result: z.enum(['granted', 'missing', 'unchecked']), detail: z.string() }).optional(),
    }),
  ),
  /** The LMS role ids ClassBridge will enrol with, and where each came from (a default is checked at the first enrolment). */
  roles: z
    .array(
      z.object({
        shortname: z.string(),
        id: z.number().int().nullable(),
        source: z.enum(['configured', 'cached', 'learnt', 'verified', 'default', 'unknown']),
      }),
    )
    .optional(),
  fixes: z.array(z.string()),
  notes: z.array(z.string()),
  error: z.object({ kind: z.string(), message: z.string(), fix: z.string() }).optional(),
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResultSchema>;

const CourseKey = z.object({ connectionId: ConnectionIdSchema, lmsId: z.number().int().positive() });

/** An LMS course as the Courses page lists it: its state, plus what ClassBridge syncs into it and reads from it. */
export const CourseListItemSchema = LmsCourseSchema.extend({
  /** Active SMS enrolments of the SMS course linked to this LMS course (absent when none is linked). */
  enrolments: z.number().int().optional(),
  /** The results last read from this course's gradebook (absent before any were read). */
  results: z
    .object({
      count: z.number().int(),
      /** Average progress % over those results. */
      averageProgress: z.number().nullable(),
      /** When a result of this course last changed. */
      updatedAt: z.string().nullable(),
    })
    .optional(),
  /** The SMS course this LMS course is linked to, or matches by code (what a leave-alone mark names). */
  smsCourseId: z.string().optional(),
  /** Set when the admin marked the SMS course "ClassBridge does not touch this" (leaveAlone:set). */
  leftAlone: z.object({ createdAt: z.string(), note: z.string().nullable() }).optional(),
});
export type CourseListItem = z.infer<typeof CourseListItemSchema>;

/**
 * The desktop app's automatic updates, as the Settings page shows them. Electron's main thread
 * answers `app:updateStatus` itself (electron/shell/updater/); the engine worker, which is all the
 * headless host has, answers `unavailable`.
 */
export const UpdateStatusSchema = z.object({
  state: z.enum(['unavailable', 'disabled', 'idle', 'checking', 'up-to-date', 'downloading', 'downloaded', 'error']),
  /** One quiet line in plain words, e.g. why the last check failed. */
  message: z.string(),
  currentVersion: z.string().nullable(),
  availableVersion: z.string().nullable(),
  lastCheckedAt: z.string().nullable(),
  feedUrl: z.string().nullable(),
});
export type UpdateStatus = z.infer<typeof UpdateStatusSchema>;

/** A leave-alone mark as the admin sees it: with the record's name from the current SMS export. */
export const LeaveAloneItemSchema = LeaveAloneMarkSchema.extend({
  /** "Aroha Ngata (angata)", "Year 10 Science (10SCI)"; null when the SMS export does not have the id. */
  label: z.string().nullable(),
});
export type LeaveAloneItem = z.infer<typeof LeaveAloneItemSchema>;

/** One results record: an SMS person's result in one LMS course of one connection. */
export const ResultRecordKeySchema = z
  .object({ connectionId: ConnectionIdSchema, lmsCourseId: z.number().int(), personSmsId: z.string().min(1).max(200) })
  .strict();

/** Filters of the Results page (results:pending, results:decide). */
export const ResultReviewFilterSchema = z
  .object({
    connectionId: ConnectionIdSchema.optional(),
    lmsCourseId: z.number().int().optional(),
    personSmsId: z.string().max(200).optional(),
    reasons: z.array(ResultReviewReasonSchema).optional(),
    states: z.array(ResultReviewStateSchema).optional(),
  })
  .strict();

export const apiMethods = {
  'status:get': { input: Empty, output: StatusSchema },

  /**
   * The database's dated backups, newest first (`backups/` beside it; one a day, kept
   * `backups.keepDays`). Restoring one swaps the database under the running engine: the sync and
   * the receiver stop, the file is replaced (the old one kept aside), and everything starts again.
   */
  'database:backups': {
    input: Empty,
    output: z.object({
      folder: z.string(),
      keepDays: z.number().int(),
      backups: z.array(z.object({ file: z.string(), date: z.string(), bytes: z.number().int() })),
    }),
  },
  'database:backup': {
    input: Empty,
    output: z.object({ file: z.string(), bytes: z.number().int(), pruned: z.array(z.string()) }),
  },
  'database:restore': {
    input: z.object({ file: z.string().min(1) }).strict(),
    output: z.object({
      restored: z.string(),
      replacedBy: z.string().optional(),
      copyDate: z.string(),
      runsSince: z.number().int().nullable(),
      schemaVersion: z.number().int(),
      message: z.string(),
    }),
  },

  'settings:get': { input: Empty, output: SettingsSchema },
  'settings:save': { input: SettingsSchema, output: SettingsSchema },

  /**
   * Every SMS and LMS provider ClassBridge knows, with what the setup wizard asks and says for each:
   * the serialisable part of the adapter descriptors (adapters/sms/registry.ts, adapters/lms/registry.ts),
   * so the wizard renders from the same descriptions the engine reads with.
   */
  'providers:list': { input: Empty, output: ProviderListSchema },

  'connections:list': { input: Empty, output: z.array(ConnectionSchema) },
  'connections:save': { input: ConnectionSchema, output: ConnectionSchema },
  'connections:remove': {
    input: z.object({ id: ConnectionIdSchema }).strict(),
    output: z.object({ removed: z.boolean() }),
  },

  /**
   * *Test connection* for an LMS: a saved connection (its token from the keychain), or a URL and a
   * token typed in the wizard before saving (the token is used for this call only, not stored).
   */
  'connections:test': {
    input: z.union([
      z.object({ connectionId: ConnectionIdSchema }).strict(),
      z
        .object({ provider: LmsProviderSchema, url: LmsConnectionSchema.shape.url, token: z.string().min(1).max(4096) })
        .strict(),
    ]),
    output: ConnectionTestResultSchema,
  },

  /**
   * What the site's existing accounts show (Moodle lists neither auth plugins nor profile field
   * definitions over web services): their auth methods and custom profile fields, for the mapping step.
   */
  'connections:accountFacts': {
    input: z.union([
      z.object({ connectionId: ConnectionIdSchema }).strict(),
      z
        .object({ provider: LmsProviderSchema, url: LmsConnectionSchema.shape.url, token: z.string().min(1).max(4096) })
        .strict(),
    ]),
    output: z.object({
      sampled: z.number(),
      auths: z.array(z.object({ auth: z.string(), accounts: z.number() })),
      customFields: z.array(z.object({ shortname: z.string(), name: z.string() })),
      /** The site's course categories by name, where the token may list them (rules then choose by name). */
      categories: z.array(z.object({ id: z.number().int(), name: z.string() })).optional(),
      problem: z.string().optional(),
    }),
  },

  /** Names (never values) of the secrets the keychain holds for a connection. */
  'secrets:list': {
    input: z.object({ connectionId: ConnectionIdSchema }).strict(),
    output: z.object({ names: z.array(z.string()) }),
  },
  /** Stores a secret the admin typed (an LMS token). Write-only: no call returns it again. */
  'secrets:set': {
    input: z
      .object({ connectionId: ConnectionIdSchema, name: SecretNameSchema, value: z.string().min(1).max(4096) })
      .strict(),
    output: z.object({ stored: z.literal(true) }),
  },
  /**
   * Whether the OS keychain answers (read once at start by `serve` and the window): on a headless Linux
   * host with no Secret Service, the reason and the fix, before the wizard's Save fails on a token.
   */
  'secrets:keychain': {
    input: Empty,
    output: z.object({ available: z.boolean(), message: z.string().optional() }),
  },
  /** *Get Secret*: generates a secret for an SMS that sends to ClassBridge, stores it, shows it once. */
  'secrets:generate': {
    input: z.object({ connectionId: ConnectionIdSchema, name: SecretNameSchema.default('push-secret') }).strict(),
    output: z.object({ secret: z.string() }),
  },

  'runs:list': {
    input: z
      .object({
        connectionId: ConnectionIdSchema.optional(),
        part: PartSchema.optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    output: z.array(RunSchema),
  },
  /** What a reconcile run found drifted in the LMS and repaired, record by record. */
  'runs:repairs': {
    input: z.object({ runId: z.number().int() }).strict(),
    output: z.array(RunRepairSchema),
  },
  /** Sends one failed upload record again now (with what waited on it); its error resolves if it syncs. */
  'errors:retry': {
    input: z.object({ id: z.number().int() }).strict(),
    output: z.object({
      outcome: z.string(),
      message: z.string(),
      /** True only when no open error names the record any more. */
      resolved: z.boolean(),
      /** The error that now stands for the record, when it failed again (recorded as a new error). */
      openErrorId: z.number().int().optional(),
    }),
  },
  'errors:list': {
    input: z
      .object({
        connectionId: ConnectionIdSchema.optional(),
        part: PartSchema.optional(),
        includeResolved: z.boolean().optional(),
      })
      .strict(),
    output: z.array(RunErrorSchema),
  },

  /**
   * Errors grouped by cause (the same connection, part, kind of record and fix): one row
   * with a count, one fix and one action, and the first records named in words. `total` is the number
   * of errors the groups hold, the dashboard's count.
   */
  'errors:groups': {
    input: z
      .object({
        connectionId: ConnectionIdSchema.optional(),
        part: PartSchema.optional(),
        includeResolved: z.boolean().optional(),
      })
      .strict(),
    output: z.object({
      total: z.number().int(),
      groups: z.array(
        z.object({
          connectionId: z.string().nullable(),
          part: PartSchema,
          recordKind: z.string(),
          /** The first error's message; `messages` says how many different ones the group has (they name records). */
          message: z.string(),
          messages: z.number().int(),
          fix: z.string(),
          count: z.number().int(),
          lastAt: z.string(),
          resolved: z.boolean(),
          /** The first records of the group, each with its name in words. */
          examples: z.array(RunErrorSchema.extend({ recordName: z.string() })),
        }),
      ),
    }),
  },

  'courses:list': {
    input: z
      .object({
        connectionId: ConnectionIdSchema.optional(),
        states: z.array(CourseStateSchema).optional(),
        search: z.string().max(200).optional(),
      })
      .strict(),
    output: z.array(CourseListItemSchema),
  },
  'courses:setState': {
    input: z
      .object({
        courses: z.array(CourseKey).min(1, 'Choose at least one course').max(10_000),
        state: z.enum(['Open', 'Closed']),
      })
      .strict(),
    output: z.object({
      changed: z.number().int(),
      skipped: z.array(CourseKey.extend({ reason: z.enum(['not-found', 'deleted', 'unchanged']) })),
    }),
  },
  /**
   * Whether each Open course's results can come out right (docs/results.md, "Readiness"), per LMS
   * connection: one gradebook read per Open course (the read the results download makes), nothing written.
   */
  'courses:readiness': {
    input: z.object({ connectionId: ConnectionIdSchema.optional() }).strict(),
    output: z.array(ConnectionReadinessSchema),
  },
  /**
   * The current SMS export's courses an LMS has no course for (api/courses-not-in-lms.ts), per LMS:
   * whether the upload creates each (a category is chosen) or the admin creates or links it.
   */
  'courses:notInLms': {
    input: z.object({ connectionId: ConnectionIdSchema.optional() }).strict(),
    output: z.array(
      z.object({
        connectionId: z.string(),
        /** False before ClassBridge first read this LMS's course list (every course would look missing). */
        courseListRead: z.boolean(),
        /** A category for new courses (or a category rule) is chosen, so the upload creates courses. */
        categoryChosen: z.boolean(),
        /** What an LMS course must carry to be linked: this ID number or short name (matchValue). */
        courseMatch: z.enum(['idnumber', 'shortname']),
        total: z.number().int(),
        /** The first 200, most enrolments first. */
        courses: z.array(
          z.object({
            smsId: z.string(),
            code: z.string(),
            name: z.string(),
            matchValue: z.string(),
            enrolments: z.number().int(),
            uploadCreates: z.boolean(),
            /** Its linked LMS course was deleted in the LMS. */
            deletedInLms: z.boolean().optional(),
            leftAlone: z.boolean().optional(),
          }),
        ),
      }),
    ),
  },

  'progress:list': {
    input: z
      .object({
        connectionId: ConnectionIdSchema.optional(),
        lmsCourseId: z.number().int().optional(),
        personSmsId: z.string().optional(),
      })
      .strict(),
    /** Each result with the student's name from the current SMS snapshot (null once they left it). */
    output: z.array(ResultSchema.extend({ personName: z.string().nullable() })),
  },

  /** Dry run of the next upload to one LMS: counts, first records, planning errors, safety rail. */
  'sync:preview': {
    input: z
      .object({
        connectionId: ConnectionIdSchema,
        /**
         * An unsaved mapping (the wizard's mapping step, Settings → Provisioning rules): the dry run uses it
         * instead of the saved one, so each rule shows its result on the school's first records before saving.
         * Validated as connections:save would; nothing is written.
         */
        mapping: MappingSchema.optional(),
      })
      .strict(),
    output: z.object({
      connectionId: z.string(),
      summary: z.string(),
      counts: z.record(z.string(), z.number()),
      samples: z.record(z.string(), z.array(z.unknown())),
      errors: z.array(
        z.object({
          recordKind: z.string(),
          recordKey: z.string(),
          course: z.string().optional(),
          field: z.string().optional(),
          message: z.string(),
          fix: z.string(),
        }),
      ),
      skipped: z.record(z.string(), z.unknown()),
      /** What leave-alone marks held back: marked people and courses found, and the changes not sent. */
      leftAlone: z
        .object({ people: z.number(), courses: z.number(), operations: z.number(), errors: z.number() })
        .optional(),
      removals: z.object({ held: z.boolean(), message: z.string().nullable(), checks: z.array(z.unknown()) }),
      /** Operations in the plan the LMS would refuse (a capability or function missing), found by probing. */
      warnings: z.array(z.string()).optional(),
      /** With the parents rule on (mapping.parents): the first guardians, their children and account or error. */
      parents: z
        .array(
          z.object({
            key: z.string(),
            name: z.string(),
            username: z.string().optional(),
            children: z.array(z.string()),
            error: z.string().optional(),
          }),
        )
        .optional(),
      /** Term lifecycle (mapping.lifecycle): the rollover pause in force and the ended courses the run closes. */
      lifecycle: z
        .object({
          pause: z
            .object({
              source: z.enum(['dates', 'between-terms']),
              from: z.string().nullable(),
              until: z.string().nullable(),
              label: z.string(),
            })
            .nullable(),
          closing: z.array(
            z.object({
              lmsId: z.number().int(),
              smsCourse: z.string(),
              code: z.string(),
              endDate: z.string(),
              hide: z.boolean(),
              reason: z.string(),
            }),
          ),
        })
        .optional(),
      /** The mapping's name templates on the first people and courses (sync/plan/preview.ts nameExamples). */
      names: z
        .array(
          z.object({
            kind: z.enum(['person', 'course']),
            key: z.string(),
            name: z.string(),
            values: z.record(z.string(), z.string()),
            error: z.string().optional(),
          }),
        )
        .optional(),
      /** With cohort rules: the first ~3 people and the names of the cohorts they will be in (sync/plan/cohorts.ts). */
      cohorts: z.array(z.object({ key: z.string(), name: z.string(), cohorts: z.array(z.string()) })).optional(),
      /** The first courses the upload creates: category and the rule that chose it (sync/plan/preview.ts categoryExamples). */
      categories: z
        .array(z.object({ key: z.string(), name: z.string(), categoryId: z.number().int(), because: z.string() }))
        .optional(),
      /** The first courses the upload creates from a template, and the rule that chose it (sync/plan/preview.ts templateExamples). */
      courseTemplates: z
        .array(z.object({ key: z.string(), name: z.string(), templateCourseId: z.number().int(), because: z.string() }))
        .optional(),
      /** Sign-in method and mapped profile fields on the first people (sync/plan/account-examples.ts). */
      accounts: z
        .object({
          signIn: z.string(),
          people: z.array(z.object({ key: z.string(), name: z.string(), fields: z.record(z.string(), z.string()) })),
        })
        .optional(),
      /** The first records of each kind, each with create / link / update (field diff) / skip and why. */
      records: PreviewRecordsSchema.optional(),
    }),
  },

  /** Upload now / Download now / refresh the course list: runs it for one or every LMS and resets its schedule. */
  'sync:runNow': {
    input: z
      .object({
        target: SyncTargetSchema,
        connectionId: ConnectionIdSchema.optional(),
        /** Upload only: send one kind of record (`classbridge sync profiles`); the whole upload by default. */
        only: z.enum(UPLOAD_KINDS).optional(),
        /**
         * Another process writing to the same LMS: wait for it and run after it (the default, as the
         * app's schedule does), or give up at once naming it (`classbridge sync` without --wait).
         */
        ifBusy: z.enum(['wait', 'give-up']).default('wait'),
      })
      .strict()
      .refine((input) => input.only === undefined || input.target === 'upload', {
        message: '`only` keeps an upload to one kind of record; it has no meaning for other targets.',
        path: ['only'],
      }),
    output: z.array(
      z.object({
        connectionId: z.string(),
        outcome: z.string(),
        message: z.string(),
        /** The run recorded (none when busy). */
        runId: z.number().int().optional(),
        /** Records that did not sync (failed in the LMS, or could not be planned). */
        failed: z.number().int().optional(),
        /** Why a failed run failed, as diagnosed when it stopped (the Errors page shows the same). */
        cause: z.object({ summary: z.string(), fix: z.string() }).optional(),
        /** The plan waiting for the admin, when the upload was held. */
        heldPlanId: z.number().int().optional(),
        /** The process writing to this LMS, when the run gave up as busy. */
        holder: z
          .object({
            part: z.string(),
            pid: z.number().int(),
            host: z.string(),
            processLabel: z.string(),
            startedAt: z.string(),
          })
          .optional(),
      }),
    ),
  },

  /** Uploads held by the safety rail (pending unless other states are asked for). */
  'heldPlans:list': {
    input: z
      .object({ connectionId: ConnectionIdSchema.optional(), states: z.array(HeldPlanStateSchema).min(1).optional() })
      .strict(),
    output: z.array(HeldPlanSchema),
  },
  /** Approve (the upload then runs now, applying exactly the reviewed removals) or reject a held plan. */
  'heldPlans:decide': {
    input: z
      .object({
        id: z.number().int(),
        decision: z.enum(['approve', 'reject']),
        /** Approve and upload now (the default, the dashboard's button), or leave it to the next upload. */
        upload: z.boolean().default(true),
      })
      .strict(),
    output: z.object({
      plan: HeldPlanSchema,
      message: z.string(),
      runs: z.array(z.object({ connectionId: z.string(), outcome: z.string(), message: z.string() })),
    }),
  },

  /**
   * Existing LMS accounts a create found but ClassBridge will not take over on its own, with both
   * records side by side: waiting for a decision or decided and not yet carried out (every one with all).
   */
  'links:list': {
    input: z.object({ connectionId: ConnectionIdSchema.optional(), all: z.boolean().optional() }).strict(),
    output: z.array(LinkDecisionSchema),
  },
  /**
   * Link (the account becomes this person's and is brought in line), Create with another username (the
   * suggested next free one unless a username is given) or Skip. Nothing is written now: the next upload
   * carries it out.
   */
  'links:decide': {
    input: z
      .object({
        id: z.number().int(),
        decision: z.enum(['link', 'create', 'skip']),
        username: z.string().trim().min(1).max(100).optional(),
      })
      .strict(),
    output: z.object({ decision: LinkDecisionSchema, message: z.string() }),
  },

  /** People and courses ClassBridge does not touch (upload and reconcile), per LMS connection. */
  'leaveAlone:list': {
    input: z.object({ connectionId: ConnectionIdSchema.optional() }).strict(),
    output: z.array(LeaveAloneItemSchema),
  },
  /**
   * Marks one SMS person or course "ClassBridge does not touch this" (on) or lifts the mark (off). Lifting
   * it: the next upload brings the record in line with the SMS from what ClassBridge last applied.
   */
  'leaveAlone:set': {
    input: z
      .object({
        connectionId: ConnectionIdSchema,
        kind: LeaveAloneKindSchema,
        smsId: z.string().trim().min(1, 'Give the SMS id of the person or course').max(200),
        on: z.boolean(),
        note: z.string().trim().max(500).optional(),
      })
      .strict(),
    output: z.object({ mark: LeaveAloneItemSchema.nullable(), changed: z.boolean(), message: z.string() }),
  },

  /**
   * Results waiting for a person before they are written to the SMS (docs/results.md): for review (the
   * connection's mapping.results.delivery is 'review'), within the review margin of the pass mark, or in
   * conflict with a value a person changed in the SMS. Each with the SMS's current value, the new value
   * and why. Default: pending and held, every reason.
   */
  'results:pending': { input: ResultReviewFilterSchema, output: z.array(ResultReviewSchema) },
  /**
   * Accept (written on the next results delivery), hold (not written until the LMS result changes
   * again) or, for conflicts, keep the SMS's value. `records` names some; `all: true` takes every
   * pending or held review matching the filters.
   */
  'results:decide': {
    input: ResultReviewFilterSchema.omit({ states: true })
      .extend({
        decision: ResultDecisionSchema,
        all: z.boolean().optional(),
        records: z.array(ResultRecordKeySchema).max(100_000).optional(),
      })
      .strict()
      .refine((v) => v.all === true || (v.records?.length ?? 0) > 0, {
        message: 'Choose the results to decide, or all of them',
        path: ['records'],
      }),
    output: z.object({ changed: z.number().int(), message: z.string() }),
  },

  'sync:setPaused': { input: z.object({ paused: z.boolean() }).strict(), output: z.object({ paused: z.boolean() }) },

  /** Automatic updates of the desktop app (answered by Electron's main thread; see UpdateStatusSchema). */
  'app:updateStatus': { input: Empty, output: UpdateStatusSchema },

  /** Alerts (docs/alerts.md): sends a test of each kind (or one) on every channel set up, now, quiet hours or not. */
  'alerts:test': { input: z.object({ kind: AlertKindSchema.optional() }).strict(), output: AlertTestResultSchema },
  /** Stores the SMTP password or the webhook signing secret in the keychain. Write-only. */
  'alerts:setSecret': {
    input: z.object({ name: AlertSecretNameSchema, value: z.string().min(1).max(4096) }).strict(),
    output: z.object({ stored: z.literal(true) }),
  },
  /** Which alert secrets are stored (never their values) and the latest deliveries, failures with the reason. */
  'alerts:status': { input: Empty, output: AlertStatusSchema },
  /** The desktop's updater downloaded this version: the engine's alerts tell it once (the engine cannot see the updater). */
  'alerts:updateReady': {
    input: z.object({ version: z.string().min(1).max(100) }).strict(),
    output: z.object({ recorded: z.literal(true) }),
  },
} as const;

export type ApiMethods = typeof apiMethods;
export type ApiMethod = keyof ApiMethods;
export type ApiInput<M extends ApiMethod> = z.input<ApiMethods[M]['input']>;
export type ApiParsedInput<M extends ApiMethod> = z.output<ApiMethods[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.output<ApiMethods[M]['output']>;

export const API_METHOD_NAMES = Object.keys(apiMethods) as ApiMethod[];

export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(apiMethods, name);
}

/** Events the engine pushes; the payload says what to refetch. */
export const apiEvents = {
  'status:changed': z.object({}),
  'settings:changed': z.object({}),
  'courses:changed': z.object({ connectionId: z.string().optional() }),
  /** A run asked for now waits for another process writing to the same LMS (said once per run). */
  'sync:waiting': z.object({ connectionId: z.string(), message: z.string() }),
} as const;
export type ApiEvents = typeof apiEvents;
export type ApiEvent = keyof ApiEvents;
export type ApiEventPayload<E extends ApiEvent> = z.output<ApiEvents[E]>;

/** What the renderer (and tests) hold: one call per method, and event subscriptions. */
export interface ApiClient {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  /** Returns an unsubscribe function. */
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void;
}

/** The bridge the preload exposes as `window.classbridge`: nothing but these two functions. */
export interface PreloadBridge {
  invoke(method: string, input: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: unknown }>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

export { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './ipc-channels';
