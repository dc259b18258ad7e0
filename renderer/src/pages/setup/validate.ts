import type { z } from 'zod';
import {
  ConnectionIdSchema,
  IntervalScheduleSchema,
  LmsConnectionSchema,
  MappingSchema,
  parseTemplate,
  ProfileFieldsSchema,
  ScheduleSchema,
  SignInSchema,
  SettingsSchema,
  SmsConnectionSchema,
  TimeZoneSchema,
  WindowScheduleSchema,
  type LmsConnection,
  type Mapping,
  type ProviderList,
  type Schedule,
  type Settings,
  type SmsConnection,
} from '../../../../electron/core/model';
import type { LmsDraft, MappingDraft, ScheduleDraft, SetupDraft, StepId } from './draft';
import { DOWNLOAD_SCHEDULE_PARTS, UPLOAD_SCHEDULE_PARTS } from './draft';
import { smsSetupOf } from './provider-routes';
import { RULE_KEYS, rulesErrors, rulesMapping } from './rules/rules-draft';

/** Field id → message. Field ids are also the controls' ids, so an error can point at its field. */
export type FieldErrors = Record<string, string>;

/** The wizard checks with the same zod schemas the engine validates Api input with. */
function firstIssue(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
}

const ABSOLUTE_PATH = /^(\/|[A-Za-z]:[\\/]|\\\\)/;

export function smsErrors(draft: SetupDraft, providers: ProviderList): FieldErrors {
  const errors: FieldErrors = {};
  if (!draft.useSms) return errors;
  const sms = draft.sms;
  if (!sms.provider) {
    errors['sms-provider'] = 'Choose the SMS the school uses.';
    return errors;
  }
  const name = firstIssue(SmsConnectionSchema.shape.name, sms.name);
  if (name) errors['sms-name'] = name;
  const route = smsSetupOf(providers, sms.provider).routes.find((r) => r.mode === sms.mode);
  if (!route?.available) {
    errors['sms-mode'] = route?.unavailableReason ?? 'Choose how the SMS connects.';
    return errors;
  }
  if (sms.mode === 'file') {
    const source = sms.source.trim();
    if (!source) errors['sms-source'] = `Enter the ${route.source?.label.toLowerCase() ?? 'path'}.`;
    else if (!ABSOLUTE_PATH.test(source))
      errors['sms-source'] = 'Enter the full path, starting from the drive or from / (for example /srv/exports/nat).';
    else if (source.length > 4096) errors['sms-source'] = 'That path is too long.';
  }
  if (sms.mode === 'push') {
    const port = Number(sms.receiverPort);
    if (!/^\d+$/.test(sms.receiverPort.trim()) || port < 1 || port > 65535)
      errors['sms-receiver-port'] = 'Enter a port number from 1 to 65535 (8443 unless another program uses it).';
    if (!/^[A-Za-z0-9.:-]+$/.test(sms.receiverHost.trim()))
      errors['sms-receiver-host'] =
        'Enter an address of this computer: 127.0.0.1 for this computer only, 0.0.0.0 for every network.';
  }
  return errors;
}

export function lmsErrors(draft: SetupDraft, tokens: Record<string, string>, storedTokens: Set<string>): FieldErrors {
  const errors: FieldErrors = {};
  if (draft.lms.length === 0) errors['lms-add'] = 'Add at least one LMS.';
  const ids = new Map<string, number>();
  for (const lms of draft.lms) ids.set(lms.id, (ids.get(lms.id) ?? 0) + 1);
  for (const lms of draft.lms) {
    const name = firstIssue(LmsConnectionSchema.shape.name, lms.name);
    if (name) errors[`lms-${lms.key}-name`] = name;
    else if (firstIssue(ConnectionIdSchema, lms.id)) errors[`lms-${lms.key}-name`] = 'Use a name with some letters.';
    else if ((ids.get(lms.id) ?? 0) > 1)
      errors[`lms-${lms.key}-name`] = 'Another LMS has this name; give each its own.';
    const url = firstIssue(LmsConnectionSchema.shape.url, lms.url.trim());
    if (url) errors[`lms-${lms.key}-url`] = url;
    const token = tokens[lms.key]?.trim() ?? '';
    if (token === '' && !(lms.saved && storedTokens.has(lms.id)))
      errors[`lms-${lms.key}-token`] =
        'Enter the web-service token (Site administration → Server → Web services → Manage tokens).';
    else if (/\s/.test(token))
      errors[`lms-${lms.key}-token`] = 'A web-service token has no spaces; check it was copied whole.';
  }
  return errors;
}

function positiveInt(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) && Number(text) > 0 ? Number(text) : undefined;
}

export function mappingErrors(lms: LmsDraft, draft?: SetupDraft, providers?: ProviderList): FieldErrors {
  const errors: FieldErrors = {};
  const m = lms.mapping;
  const prefix = `mapping-${lms.key}`;
  const sms = draft?.useSms && draft.sms.provider && providers ? smsSetupOf(providers, draft.sms.provider) : undefined;
  if (sms && m.usernameFrom === 'sms-username' && !sms.hasUsernames)
    errors[`${prefix}-username`] =
      `${sms.label}'s ${sms.exportName} export has no usernames: choose the email address or the SMS id.`;
  const shortname = /^[a-z0-9_-]{1,100}$/;
  if (!shortname.test(m.studentRole.trim()))
    errors[`${prefix}-student-role`] = 'Enter the LMS role shortname, for example student.';
  if (!shortname.test(m.teacherRole.trim()))
    errors[`${prefix}-teacher-role`] = 'Enter the LMS role shortname, for example editingteacher.';
  for (const [field, value] of [
    ['student-role-id', m.studentRoleId],
    ['teacher-role-id', m.teacherRoleId],
    ['category', m.categoryId],
  ] as const) {
    if (value.trim() !== '' && positiveInt(value) === undefined)
      errors[`${prefix}-${field}`] = 'Enter a whole number above 0, or leave it empty.';
  }
  Object.assign(errors, signInErrors(prefix, m));
  Object.assign(errors, templateErrors(prefix, m));
  Object.assign(errors, rulesErrors(prefix, m.rules));
  if (Object.keys(errors).length === 0) {
    const issue = firstIssue(MappingSchema, buildMapping(m));
    if (issue) errors[`${prefix}-username`] = issue;
  }
  return errors;
}

function scheduleErrors(prefix: string, schedule: ScheduleDraft): FieldErrors {
  const errors: FieldErrors = {};
  if (schedule.kind === 'interval') {
    const minutes = Number(schedule.minutes);
    if (!/^\d+$/.test(schedule.minutes.trim())) errors[`${prefix}-minutes`] = 'Enter a number of minutes.';
    else {
      const issue = firstIssue(IntervalScheduleSchema, { kind: 'interval', minutes });
      if (issue) errors[`${prefix}-minutes`] = issue;
    }
    return errors;
  }
  const result = WindowScheduleSchema.safeParse({
    kind: 'window',
    days: schedule.days,
    start: schedule.start,
    end: schedule.end,
  });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = issue.path[0] === 'days' ? 'days' : issue.path[0] === 'start' ? 'start' : 'end';
      errors[`${prefix}-${field}`] ??= issue.message;
    }
  }
  return errors;
}

export function exportErrors(draft: SetupDraft, providers: ProviderList): FieldErrors {
  const errors: FieldErrors = {
    ...scheduleErrors('upload', draft.uploadSchedule),
    ...scheduleErrors('download', draft.downloadSchedule),
  };
  const zone = firstIssue(TimeZoneSchema, draft.timeZone.trim());
  if (zone) errors['time-zone'] = zone;
  if (draft.useSms && draft.autoExport && draft.sms.provider) {
    if (smsSetupOf(providers, draft.sms.provider).asksOutcomeRule) {
      const pass = Number(draft.passPercent);
      if (draft.passPercent.trim() === '' || !Number.isFinite(pass) || pass < 0 || pass > 100)
        errors['pass-percent'] = 'Enter the grade (0 to 100 %) at or above which a completed enrolment is competent.';
    }
    if (draft.resultsFolder.trim() !== '' && !ABSOLUTE_PATH.test(draft.resultsFolder.trim()))
      errors['results-folder'] = 'Enter the full path of the folder, or leave it empty for ClassBridge’s data folder.';
  }
  return errors;
}

export function stepErrors(
  step: StepId,
  draft: SetupDraft,
  tokens: Record<string, string>,
  storedTokens: Set<string>,
  providers: ProviderList,
): FieldErrors {
  switch (step) {
    case 'sms':
      return smsErrors(draft, providers);
    case 'lms':
      return lmsErrors(draft, tokens, storedTokens);
    case 'mapping':
      return Object.assign({}, ...draft.lms.map((l) => mappingErrors(l, draft, providers))) as FieldErrors;
    case 'export':
      return exportErrors(draft, providers);
    case 'review':
      return {
        ...smsErrors(draft, providers),
        ...lmsErrors(draft, tokens, storedTokens),
        ...(Object.assign({}, ...draft.lms.map((l) => mappingErrors(l, draft, providers))) as FieldErrors),
        ...exportErrors(draft, providers),
      };
    case 'preview':
      return {};
  }
}

/** Each name template's syntax (model/template.ts), on its own field; SMS fields are checked in the dry run. */
export function templateErrors(prefix: string, m: MappingDraft): FieldErrors {
  const errors: FieldErrors = {};
  for (const [field, value, kind] of [
    ['username-template', m.usernameTemplate, 'person'],
    ['email-template', m.emailTemplate, 'person'],
    ['course-fullname-template', m.courseFullnameTemplate, 'course'],
    ['course-shortname-template', m.courseShortnameTemplate, 'course'],
  ] as const) {
    if (value.trim() === '') continue;
    const parsed = parseTemplate(value.trim(), kind);
    if (!parsed.ok) errors[`${prefix}-${field}`] = parsed.error;
  }
  return errors;
}

/** The sign-in method and each profile-field row, checked by the schema's own rules, on their own controls. */
function signInErrors(prefix: string, m: MappingDraft): FieldErrors {
  const errors: FieldErrors = {};
  const signIn = SignInSchema.safeParse({ auth: m.signInAuth.trim(), emailPassword: m.emailPassword });
  if (!signIn.success) errors[`${prefix}-auth`] = signIn.error.issues[0]?.message ?? 'Enter an auth plugin name.';
  const seen = new Set<string>();
  m.profileFields.forEach((row, i) => {
    const lms = row.lms.trim();
    const sms = row.sms.trim();
    if (lms === '' && sms === '') return;
    // The LMS field alone (a placeholder SMS field), so its issue is about the field name only.
    const issue = lms === '' ? 'Choose an LMS field.' : firstIssue(ProfileFieldsSchema, { [lms]: 'x' });
    if (issue) errors[`${prefix}-profile-${i}-lms`] = issue;
    if (sms === '') errors[`${prefix}-profile-${i}-sms`] = 'Name the SMS field, for example house.';
    if (lms !== '' && seen.has(lms)) errors[`${prefix}-profile-${i}-lms`] = `${lms} is mapped twice.`;
    seen.add(lms);
  });
  return errors;
}

export function buildMapping(m: MappingDraft): Mapping {
  const roleIds: Record<string, number> = {};
  const studentId = positiveInt(m.studentRoleId);
  const teacherId = positiveInt(m.teacherRoleId);
  if (studentId) roleIds[m.studentRole.trim()] = studentId;
  if (teacherId) roleIds[m.teacherRole.trim()] = teacherId;
  const category = positiveInt(m.categoryId);
  return {
    usernameFrom: m.usernameFrom,
    emailFrom: m.emailFrom,
    idnumberFrom: 'sms-id',
    courseMatch: m.courseMatch,
    roles: { student: m.studentRole.trim(), teacher: m.teacherRole.trim() },
    roleIds,
    ...(category ? { newCourseCategoryId: category } : {}),
    removalPolicy: m.removalPolicy,
    signIn: { auth: m.signInAuth.trim(), emailPassword: m.emailPassword },
    // Rows left empty are not mapping entries yet.
    profileFields: Object.fromEntries(
      m.profileFields
        .filter((r) => r.lms.trim() !== '' || r.sms.trim() !== '')
        .map((r) => [r.lms.trim(), r.sms.trim()]),
    ),
    // Not a wizard question (the safe default); set in the configuration file (docs/moodle.md).
    linkExistingAccounts: false,
    // Empty = no template: usernameFrom / emailFrom / the SMS course apply.
    ...(m.usernameTemplate.trim() ? { usernameTemplate: m.usernameTemplate.trim() } : {}),
    ...(m.emailTemplate.trim() ? { emailTemplate: m.emailTemplate.trim() } : {}),
    ...(m.courseFullnameTemplate.trim() ? { courseFullnameTemplate: m.courseFullnameTemplate.trim() } : {}),
    ...(m.courseShortnameTemplate.trim() ? { courseShortnameTemplate: m.courseShortnameTemplate.trim() } : {}),
    // Lifecycle, categories, cohorts, parents, course templates: absent when off.
    ...rulesMapping(m.rules),
  };
}

/** The mapping keys the draft owns even when absent from it (an emptied template, a removed rule). */
const DRAFT_OPTIONAL_KEYS = [
  'newCourseCategoryId',
  'usernameTemplate',
  'emailTemplate',
  'courseFullnameTemplate',
  'courseShortnameTemplate',
  ...RULE_KEYS,
] as const;

/**
 * The edited mapping over the saved one: what the draft edits replaces the saved values (a rule removed in
 * the draft is removed), and settings it does not ask about (linkExistingAccounts, hiddenTotals, keys set
 * in the configuration file) are kept, so a re-save from the wizard or Settings resets none of them.
 */
export function mergeMapping(existing: Mapping | undefined, m: MappingDraft): Mapping {
  const kept: Record<string, unknown> = { ...(existing ?? {}) };
  for (const key of DRAFT_OPTIONAL_KEYS) delete kept[key];
  return {
    ...(kept as Partial<Mapping>),
    ...buildMapping(m),
    linkExistingAccounts: existing?.linkExistingAccounts ?? false,
  } as Mapping;
}

export function buildLmsConnection(lms: LmsDraft, existing?: LmsConnection): LmsConnection {
  return LmsConnectionSchema.parse({
    ...(existing ?? {}),
    id: lms.id,
    kind: 'lms',
    provider: lms.provider,
    name: lms.name.trim(),
    url: lms.url.trim(),
    // Kept when the wizard edits an existing connection: settings the wizard does not ask about
    // (linkExistingAccounts, hiddenTotals, set in the configuration file) are not reset by a re-save.
    mapping: mergeMapping(existing?.mapping, lms.mapping),
  });
}

export function buildSmsConnection(
  draft: SetupDraft,
  providers: ProviderList,
  existing?: SmsConnection,
): SmsConnection {
  const sms = draft.sms;
  if (!sms.provider) throw new Error('No SMS chosen');
  const options: SmsConnection['options'] = { ...(existing?.provider === sms.provider ? existing.options : {}) };
  if (sms.mode === 'push') {
    options.receiverPort = Number(sms.receiverPort);
    options.receiverHost = sms.receiverHost.trim();
  }
  if (smsSetupOf(providers, sms.provider).asksOutcomeRule && draft.passPercent.trim() !== '')
    options.outcomePassPercent = Number(draft.passPercent);
  if (draft.resultsFolder.trim() !== '') options.resultsFolder = draft.resultsFolder.trim();
  else delete options.resultsFolder;
  const connection: Record<string, unknown> = {
    ...(existing?.provider === sms.provider ? existing : {}),
    id: sms.id,
    kind: 'sms',
    provider: sms.provider,
    name: sms.name.trim(),
    options,
  };
  if (sms.mode === 'file') connection.source = sms.source.trim();
  else delete connection.source;
  return SmsConnectionSchema.parse(connection);
}

function buildSchedule(schedule: ScheduleDraft): Schedule {
  return ScheduleSchema.parse(
    schedule.kind === 'interval'
      ? { kind: 'interval', minutes: Number(schedule.minutes) }
      : { kind: 'window', days: schedule.days, start: schedule.start, end: schedule.end },
  );
}

export function buildSettings(draft: SetupDraft, current: Settings, pause: boolean): Settings {
  const schedules = { ...current.schedules };
  const upload = buildSchedule(draft.uploadSchedule);
  const download = buildSchedule(draft.downloadSchedule);
  for (const part of UPLOAD_SCHEDULE_PARTS) schedules[part] = upload;
  for (const part of DOWNLOAD_SCHEDULE_PARTS) schedules[part] = download;
  return SettingsSchema.parse({
    ...current,
    useSms: draft.useSms,
    timeZone: draft.timeZone.trim(),
    schedules,
    paused: pause || current.paused,
    results: { ...current.results, autoExport: draft.useSms && draft.autoExport },
  });
}
