import {
  DEFAULT_SETTINGS,
  type Connection,
  type LmsConnection,
  type LmsProvider,
  type Mapping,
  type Schedule,
  type Settings,
  type SmsConnection,
  type SmsProvider,
} from '../../../../electron/core/model';
import { DEFAULT_RULES, loadRulesDraft, rulesDraftFrom, type RulesDraft } from './rules/rules-draft';
import {
  LMS_PROVIDERS,
  PART_OF_SYNC_TARGET,
  SMS_PROVIDER_INFO,
  SMS_PROVIDERS,
  WEEKDAYS,
} from '../../../../electron/core/model';

/**
 * What the admin has entered in the wizard so far. It is kept in localStorage so that leaving and
 * reopening the wizard keeps it — which is why it holds no secret: LMS tokens live only in React state
 * until they are stored in the keychain, and a generated push secret is shown once and never kept.
 * Number-like fields are kept as typed (strings) so that a half-typed value survives a reload.
 */
export const STEPS = [
  { id: 'sms', label: 'SMS' },
  { id: 'lms', label: 'LMS' },
  { id: 'mapping', label: 'Mapping' },
  { id: 'export', label: 'Export and schedule' },
  { id: 'review', label: 'Review and save' },
  { id: 'preview', label: 'First upload' },
] as const;
export type StepId = (typeof STEPS)[number]['id'];

export type Weekday = (typeof WEEKDAYS)[number];

export interface ScheduleDraft {
  kind: 'interval' | 'window';
  minutes: string;
  days: Weekday[];
  start: string;
  end: string;
}

export interface MappingDraft {
  usernameFrom: Mapping['usernameFrom'];
  emailFrom: Mapping['emailFrom'];
  courseMatch: Mapping['courseMatch'];
  studentRole: string;
  teacherRole: string;
  studentRoleId: string;
  teacherRoleId: string;
  categoryId: string;
  removalPolicy: Mapping['removalPolicy'];
  /** How new accounts sign in (mapping.signIn; sign-in-fields.tsx). */
  signInAuth: string;
  emailPassword: boolean;
  /** mapping.profileFields as editable rows: LMS field (standard or profile_field_<shortname>) ← SMS field. */
  profileFields: { lms: string; sms: string }[];
  /** Name templates (mapping.usernameTemplate, …; model/template.ts); '' = none (the choices above apply). */
  usernameTemplate: string;
  emailTemplate: string;
  courseFullnameTemplate: string;
  courseShortnameTemplate: string;
  /** Term lifecycle, course categories, cohorts, parents, course templates (rules/rules-draft.ts). */
  rules: RulesDraft;
  /**
   * The answers the admin set in the Mapping step: a provider's default (provider-defaults.ts) never
   * replaces them. Absent or empty: every answer is still the wizard's default.
   */
  chosen?: (keyof MappingDraft)[];
}

export interface LmsDraft {
  /** Stable key for React and for the token held in memory (the id may change while the name is typed). */
  key: string;
  id: string;
  /** True once saved to the engine (then the id is fixed, and a stored token may already exist). */
  saved: boolean;
  provider: LmsProvider;
  name: string;
  url: string;
  mapping: MappingDraft;
}

export type SmsMode = 'push' | 'file' | 'api';

export interface SmsDraft {
  /** Empty until the admin chooses. */
  provider: SmsProvider | '';
  id: string;
  name: string;
  mode: SmsMode;
  /** Folder or file for file exports (typed: the headless host has no native file picker). */
  source: string;
  receiverHost: string;
  receiverPort: string;
  /** When Get Secret last ran in this wizard (never the secret itself). */
  secretGeneratedAt?: string;
}

export interface SetupDraft {
  version: 1;
  step: StepId;
  useSms: boolean;
  sms: SmsDraft;
  lms: LmsDraft[];
  /** Which LMS the mapping step edits. */
  mappingFor: string;
  timeZone: string;
  autoExport: boolean;
  passPercent: string;
  resultsFolder: string;
  uploadSchedule: ScheduleDraft;
  downloadSchedule: ScheduleDraft;
  /** Set by Save on a first set-up: syncing was paused so that nothing uploads before Apply. */
  pausedForPreview?: boolean;
  /**
   * Set by Save when it switched the SMS (provider, route, file or folder): the snapshot and the newest
   * import as they stood then. The first-upload preview waits for an import after these (source-read.ts):
   * data from the previous SMS is never previewed as the new one's.
   */
  sourceSwitch?: SourceSwitch;
}

export interface SourceSwitch {
  /** The snapshot's import time at Save (null: there was none). */
  snapshotAt: string | null;
  /** The newest SMS import's start at Save, stored or refused (null: none). */
  importAt: string | null;
}

const STORAGE_KEY = 'classbridge.setup-draft';

export const DEFAULT_MAPPING: MappingDraft = {
  usernameFrom: 'sms-username',
  emailFrom: 'sms-email',
  courseMatch: 'idnumber',
  studentRole: 'student',
  teacherRole: 'editingteacher',
  studentRoleId: '',
  teacherRoleId: '',
  categoryId: '',
  removalPolicy: 'suspend',
  signInAuth: 'manual',
  emailPassword: true,
  profileFields: [],
  usernameTemplate: '',
  emailTemplate: '',
  courseFullnameTemplate: '',
  courseShortnameTemplate: '',
  rules: DEFAULT_RULES,
};

const DEFAULT_SCHEDULE: ScheduleDraft = {
  kind: 'interval',
  minutes: '30',
  days: ['sat'],
  start: '22:00',
  end: '23:59',
};

let keyCounter = 0;
export function newKey(): string {
  keyCounter += 1;
  return `lms-${Date.now().toString(36)}-${keyCounter}`;
}

export function newLmsDraft(): LmsDraft {
  return {
    key: newKey(),
    id: '',
    saved: false,
    provider: LMS_PROVIDERS[0],
    name: '',
    url: '',
    mapping: { ...DEFAULT_MAPPING },
  };
}

export function emptyDraft(): SetupDraft {
  const first = newLmsDraft();
  return {
    version: 1,
    step: 'sms',
    useSms: true,
    sms: { provider: '', id: '', name: '', mode: 'file', source: '', receiverHost: '0.0.0.0', receiverPort: '8443' },
    lms: [first],
    mappingFor: first.key,
    timeZone: guessTimeZone(),
    autoExport: false,
    passPercent: '',
    resultsFolder: '',
    uploadSchedule: { ...DEFAULT_SCHEDULE },
    downloadSchedule: { ...DEFAULT_SCHEDULE, minutes: '60' },
  };
}

function guessTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || DEFAULT_SETTINGS.timeZone;
  } catch {
    return DEFAULT_SETTINGS.timeZone;
  }
}

function scheduleDraftFrom(schedule: Schedule | undefined, fallback: ScheduleDraft): ScheduleDraft {
  if (!schedule) return { ...fallback };
  if (schedule.kind === 'interval') return { ...fallback, kind: 'interval', minutes: String(schedule.minutes) };
  return { ...fallback, kind: 'window', days: [...schedule.days], start: schedule.start, end: schedule.end };
}

export function mappingDraftFrom(mapping: Mapping): MappingDraft {
  return {
    usernameFrom: mapping.usernameFrom,
    emailFrom: mapping.emailFrom,
    courseMatch: mapping.courseMatch,
    studentRole: mapping.roles.student ?? '',
    teacherRole: mapping.roles.teacher ?? '',
    studentRoleId: idFor(mapping, mapping.roles.student),
    teacherRoleId: idFor(mapping, mapping.roles.teacher),
    categoryId: mapping.newCourseCategoryId ? String(mapping.newCourseCategoryId) : '',
    removalPolicy: mapping.removalPolicy,
    signInAuth: mapping.signIn?.auth ?? 'manual',
    emailPassword: mapping.signIn?.emailPassword ?? true,
    profileFields: Object.entries(mapping.profileFields ?? {}).map(([lms, sms]) => ({ lms, sms })),
    usernameTemplate: mapping.usernameTemplate ?? '',
    emailTemplate: mapping.emailTemplate ?? '',
    courseFullnameTemplate: mapping.courseFullnameTemplate ?? '',
    courseShortnameTemplate: mapping.courseShortnameTemplate ?? '',
    rules: rulesDraftFrom(mapping),
  };
}

function idFor(mapping: Mapping, shortname: string | undefined): string {
  const id = shortname ? mapping.roleIds[shortname] : undefined;
  return id ? String(id) : '';
}

/** When the wizard is opened again from Settings: start from what is configured. */
export function draftFromConfig(settings: Settings, connections: Connection[]): SetupDraft {
  const draft = emptyDraft();
  const sms = connections.find((c): c is SmsConnection => c.kind === 'sms');
  const lms = connections.filter((c): c is LmsConnection => c.kind === 'lms');
  draft.useSms = settings.useSms;
  draft.timeZone = settings.timeZone;
  draft.autoExport = settings.results.autoExport;
  draft.uploadSchedule = scheduleDraftFrom(settings.schedules.upload, draft.uploadSchedule);
  draft.downloadSchedule = scheduleDraftFrom(settings.schedules.results, draft.downloadSchedule);
  if (sms) {
    const port = sms.options.receiverPort;
    const host = sms.options.receiverHost;
    const pass = sms.options.outcomePassPercent;
    const folder = sms.options.resultsFolder;
    draft.sms = {
      provider: sms.provider,
      id: sms.id,
      name: sms.name,
      // Without a source, the route the provider uses today (what providers:list offers first, too).
      mode: sms.source ? 'file' : SMS_PROVIDER_INFO[sms.provider].route,
      source: sms.source ?? '',
      receiverHost: typeof host === 'string' ? host : draft.sms.receiverHost,
      receiverPort: typeof port === 'number' ? String(port) : draft.sms.receiverPort,
    };
    draft.passPercent = typeof pass === 'number' ? String(pass) : '';
    draft.resultsFolder = typeof folder === 'string' ? folder : '';
  }
  if (lms.length > 0) {
    draft.lms = lms.map((c) => ({
      key: newKey(),
      id: c.id,
      saved: true,
      provider: c.provider,
      name: c.name,
      url: c.url,
      mapping: mappingDraftFrom(c.mapping),
    }));
    draft.mappingFor = draft.lms[0]!.key;
  }
  return draft;
}

/** The draft as kept in localStorage: never a secret (there is none in the type; this is the only writer). */
export function saveDraft(draft: SetupDraft): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the wizard still works, it just will not remember.
  }
}

export function clearDraft(): void {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing to clear
  }
}

/** A stored draft, checked field by field: anything odd (an older version, a hand edit) falls back. */
export function loadDraft(): SetupDraft | null {
  let raw: unknown;
  try {
    const text = localStorage.getItem(STORAGE_KEY);
    if (!text) return null;
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(raw) || raw.version !== 1) return null;
  const base = emptyDraft();
  const sms = isRecord(raw.sms) ? raw.sms : {};
  const lms = Array.isArray(raw.lms) ? raw.lms.filter(isRecord).map(lmsFrom) : base.lms;
  const draft: SetupDraft = {
    version: 1,
    step: STEPS.some((s) => s.id === raw.step) ? (raw.step as StepId) : 'sms',
    useSms: typeof raw.useSms === 'boolean' ? raw.useSms : true,
    sms: {
      provider: (SMS_PROVIDERS as readonly unknown[]).includes(sms.provider) ? (sms.provider as SmsProvider) : '',
      id: str(sms.id),
      name: str(sms.name),
      mode: sms.mode === 'push' || sms.mode === 'api' ? sms.mode : 'file',
      source: str(sms.source),
      receiverHost: str(sms.receiverHost, base.sms.receiverHost),
      receiverPort: str(sms.receiverPort, base.sms.receiverPort),
      ...(typeof sms.secretGeneratedAt === 'string' ? { secretGeneratedAt: sms.secretGeneratedAt } : {}),
    },
    lms: lms.length > 0 ? lms : base.lms,
    mappingFor: str(raw.mappingFor),
    timeZone: str(raw.timeZone, base.timeZone),
    autoExport: raw.autoExport === true,
    passPercent: str(raw.passPercent),
    resultsFolder: str(raw.resultsFolder),
    uploadSchedule: scheduleFrom(raw.uploadSchedule, base.uploadSchedule),
    downloadSchedule: scheduleFrom(raw.downloadSchedule, base.downloadSchedule),
    ...(raw.pausedForPreview === true ? { pausedForPreview: true } : {}),
    ...(isRecord(raw.sourceSwitch)
      ? {
          sourceSwitch: {
            snapshotAt: strOrNull(raw.sourceSwitch.snapshotAt),
            importAt: strOrNull(raw.sourceSwitch.importAt),
          },
        }
      : {}),
  };
  if (!draft.lms.some((l) => l.key === draft.mappingFor)) draft.mappingFor = draft.lms[0]!.key;
  return draft;
}

function lmsFrom(raw: Record<string, unknown>): LmsDraft {
  const m = isRecord(raw.mapping) ? raw.mapping : {};
  const pick = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T =>
    (allowed as readonly unknown[]).includes(value) ? (value as T) : fallback;
  return {
    key: str(raw.key) || newKey(),
    id: str(raw.id),
    saved: raw.saved === true,
    provider: pick(raw.provider, LMS_PROVIDERS, LMS_PROVIDERS[0]),
    name: str(raw.name),
    url: str(raw.url),
    mapping: {
      usernameFrom: pick(m.usernameFrom, ['sms-username', 'email', 'sms-id'] as const, 'sms-username'),
      emailFrom: pick(m.emailFrom, ['sms-email', 'none'] as const, 'sms-email'),
      courseMatch: pick(m.courseMatch, ['idnumber', 'shortname'] as const, 'idnumber'),
      studentRole: str(m.studentRole, DEFAULT_MAPPING.studentRole),
      teacherRole: str(m.teacherRole, DEFAULT_MAPPING.teacherRole),
      studentRoleId: str(m.studentRoleId),
      teacherRoleId: str(m.teacherRoleId),
      categoryId: str(m.categoryId),
      removalPolicy: pick(m.removalPolicy, ['suspend', 'unenrol', 'keep'] as const, 'suspend'),
      signInAuth: str(m.signInAuth, 'manual'),
      emailPassword: m.emailPassword !== false,
      profileFields: Array.isArray(m.profileFields)
        ? m.profileFields.filter(isRecord).map((r) => ({ lms: str(r.lms), sms: str(r.sms) }))
        : [],
      usernameTemplate: str(m.usernameTemplate),
      emailTemplate: str(m.emailTemplate),
      courseFullnameTemplate: str(m.courseFullnameTemplate),
      courseShortnameTemplate: str(m.courseShortnameTemplate),
      rules: loadRulesDraft(m.rules),
      chosen: Array.isArray(m.chosen)
        ? m.chosen.filter((k): k is keyof MappingDraft => typeof k === 'string' && k in DEFAULT_MAPPING)
        : [],
    },
  };
}

function scheduleFrom(raw: unknown, fallback: ScheduleDraft): ScheduleDraft {
  if (!isRecord(raw)) return { ...fallback };
  const days = Array.isArray(raw.days)
    ? raw.days.filter((d): d is Weekday => (WEEKDAYS as readonly unknown[]).includes(d))
    : fallback.days;
  return {
    kind: raw.kind === 'window' ? 'window' : 'interval',
    minutes: str(raw.minutes, fallback.minutes),
    days,
    start: str(raw.start, fallback.start),
    end: str(raw.end, fallback.end),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function strOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A connection id from a name: "Moodle (main)" → "moodle-main"; unique among the others. */
export function idFromName(name: string, taken: readonly string[], fallback: string): string {
  const slug =
    name
      .toLowerCase()
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || fallback;
  let id = slug;
  for (let n = 2; taken.includes(id); n++) id = `${slug}-${n}`;
  return id;
}

/**
 * Every scheduled part the wizard sets: the upload's schedule and the download's, the parts the
 * engine runs for "Upload now" / "Download now" (the one map, PART_OF_SYNC_TARGET).
 */
export const UPLOAD_SCHEDULE_PARTS = [PART_OF_SYNC_TARGET.upload] as const;
export const DOWNLOAD_SCHEDULE_PARTS = [PART_OF_SYNC_TARGET.download] as const;
