import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SmsImportError, type SmsResultRecord, type SmsWarning } from '../../../adapters/contract';
import { createAvetmissAdapter, type OutcomeRule } from '../../../adapters/sms/avetmiss';
import { exportResults as exportCsvResults, RESULTS_FILE } from '../../../adapters/sms/csv';
import { createOneRosterAdapter } from '../../../adapters/sms/oneroster';
import { SMS_PROVIDER_INFO, type Settings, type SmsConnection } from '../model';

/**
 * SMS connection options (`connections[].options`) read here. The outcome rule is flat because options
 * hold strings, numbers and booleans only.
 */
export const RESULTS_OPTIONS = {
  /** Folder the results files are written to when auto-export is on (default `<data>/results/<lms>/`). */
  folder: 'resultsFolder',
  /** AVETMISS: grade percent at or above which a completed enrolment is competent. Required: the admin's call. */
  passPercent: 'outcomePassPercent',
  /** AVETMISS outcome codes (C.3); defaults 20, 70, 30 and (ungraded) the completed code. */
  completed: 'outcomeCompleted',
  notYetComplete: 'outcomeNotYetComplete',
  failed: 'outcomeFailed',
  ungradedCompleted: 'outcomeUngradedCompleted',
} as const;

/** What one delivery wrote. */
export interface ResultsWriteReport {
  /** Records that reached the file: rows (CSV, OneRoster results) or NAT00120 outcomes changed. */
  written: number;
  /** In words, for the run message: "NAT00120.txt in /x". */
  where: string;
  files: string[];
  warnings: SmsWarning[];
}

export interface ResultsDestination {
  /** Which writer: the SMS's own, or the fallback results.csv. */
  route: 'avetmiss' | 'oneroster' | 'csv' | 'fallback-csv';
  /** Where results go, in words for the admin (and why, for the fallback). */
  describe: string;
  /** The writer `deliverResults` calls; throws ResultsDestinationError when configuration is missing. */
  write(records: readonly SmsResultRecord[]): Promise<ResultsWriteReport>;
}

/** Results could not be written: names the setting (or file) and what to do. The message includes the fix. */
export class ResultsDestinationError extends Error {
  override readonly name = 'ResultsDestinationError';
  constructor(
    readonly problem: string,
    readonly fix: string,
    readonly setting?: string,
  ) {
    super(`${problem} ${fix}`);
  }
}

/**
 * Picks how results of one LMS connection reach the SMS:
 * - AVETMISS providers (VETtrak, JobReady, PowerPro, Paradigm): NAT00120 rewritten with outcome
 *   identifiers from the connection's outcome rule, plus NAT00120-results.csv;
 * - OneRoster: lineItems.csv / results.csv (+ categories, manifest), with terms read from the export;
 * - CSV files: results.csv for the SMS to import;
 * - everything else, and whenever results auto-export is off or there is no SMS: results.csv in
 *   `<dataDir>/results/<lms>/`, with a description that says why.
 */
export function resultsDestinationFor(
  sms: SmsConnection | undefined,
  lmsConnectionId: string,
  dataDir: string,
  settings: Pick<Settings, 'results'> & Partial<Pick<Settings, 'useSms'>>,
): ResultsDestination {
  const dataFolder = join(dataDir, 'results', lmsConnectionId);
  if (!sms || settings.useSms === false) {
    return csvDestination(
      'fallback-csv',
      dataFolder,
      `${RESULTS_FILE} in ${dataFolder} (there is no SMS connection to send results to)`,
    );
  }
  const info = SMS_PROVIDER_INFO[sms.provider];
  if (!settings.results.autoExport) {
    return csvDestination(
      'fallback-csv',
      dataFolder,
      `${RESULTS_FILE} in ${dataFolder}: results auto-export is off, so nothing is sent to ${info.label} (turn on results auto-export, settings.results.autoExport, to write ${info.label}'s own results file)`,
    );
  }
  const option = sms.options[RESULTS_OPTIONS.folder];
  const folder = typeof option === 'string' && option.trim() !== '' ? resolve(option) : dataFolder;
  if (!info.directLink) {
    return csvDestination(
      'fallback-csv',
      folder,
      `${RESULTS_FILE} in ${folder} to import into ${info.label} by hand: ${info.label} has no interface ClassBridge can send results to`,
    );
  }
  switch (info.adapter) {
    case 'avetmiss':
      return avetmissDestination(sms, folder);
    case 'oneroster':
      return oneRosterDestination(sms, folder);
    case 'csv':
      return csvDestination('csv', folder, `${RESULTS_FILE} in ${folder} for ${info.label} to import`);
    case 'kamar':
      // KAMAR Directory Services only sends data; nothing public shows it taking results back.
      return csvDestination(
        'fallback-csv',
        folder,
        `${RESULTS_FILE} in ${folder} to import by hand: ${info.label} does not take results back from ClassBridge`,
      );
  }
}

function csvDestination(route: 'csv' | 'fallback-csv', folder: string, describe: string): ResultsDestination {
  return {
    route,
    describe,
    async write(records) {
      const report = await exportCsvResults(records, folder);
      return {
        written: report.records,
        where: join(folder, RESULTS_FILE),
        files: report.files,
        warnings: report.warnings,
      };
    },
  };
}

function failing(route: ResultsDestination['route'], error: ResultsDestinationError): ResultsDestination {
  return {
    route,
    describe: `nowhere yet: ${error.message}`,
    write: () => Promise.reject(error),
  };
}

function avetmissDestination(sms: SmsConnection, folder: string): ResultsDestination {
  const label = SMS_PROVIDER_INFO[sms.provider].label;
  const source = sms.source?.trim();
  if (!source) {
    return failing(
      'avetmiss',
      new ResultsDestinationError(
        `${label} results cannot be written: the SMS connection has no export folder (source) to take the original NAT00120 from.`,
        `Choose the folder ${label} saves its NAT export into in the SMS connection.`,
        'source',
      ),
    );
  }
  let rule: OutcomeRule;
  try {
    rule = outcomeRuleFrom(sms.options, label);
  } catch (error) {
    if (error instanceof ResultsDestinationError) return failing('avetmiss', error);
    throw error;
  }
  const describe = `${label}'s NAT00120.txt in ${folder}, with outcome identifiers from LMS results (competent at ${rule.passPercent} % or more: ${rule.completedOutcome}; below: ${rule.failedOutcome}; not finished: ${rule.notYetCompleteOutcome})`;
  return {
    route: 'avetmiss',
    describe,
    async write(records) {
      const original = await originalActivities(resolve(source), folder);
      const courseFrom = sms.options.courseFrom === 'program' ? 'program' : 'subject';
      const adapter = createAvetmissAdapter({ courseFrom, outcomeRule: rule, originalActivities: original });
      const report = await withSmsErrors(label, () => adapter.exportResults(records, folder));
      return {
        written: report.records,
        where: report.files[0] ?? join(folder, 'NAT00120.txt'),
        files: report.files,
        warnings: report.warnings,
      };
    },
  };
}

/**
 * The NAT00120 to rewrite. Writing into the export folder itself rewrites its NAT00120 in place. Elsewhere,
 * a NAT00120.txt ClassBridge wrote after the latest export is the base, so outcomes delivered earlier
 * stay in the file (only changed results are delivered each time); a newer export from the SMS replaces it.
 */
async function originalActivities(source: string, folder: string): Promise<string> {
  const info = await stat(source).catch(() => undefined);
  if (!info) {
    throw new ResultsDestinationError(
      `The AVETMISS export ${source} (the SMS connection's source) does not exist, so there is no NAT00120 to write outcomes into.`,
      'Export the NAT files again, or choose the folder they are saved in.',
      'source',
    );
  }
  if (info.isDirectory() && source === resolve(folder)) return source;
  let original = source;
  let originalTime = info.mtimeMs;
  if (info.isDirectory()) {
    const entries = await readdir(source, { withFileTypes: true });
    const nat = entries.find((e) => e.isFile() && /^nat00120\.txt$/i.test(e.name));
    const zips = entries.filter((e) => e.isFile() && /\.zip$/i.test(e.name));
    const candidates = nat ? [nat] : zips;
    for (const entry of candidates) {
      const path = join(source, entry.name);
      const time = (await stat(path)).mtimeMs;
      if (original === source || time > originalTime) {
        original = path;
        originalTime = time;
      }
    }
  }
  const previous = join(folder, 'NAT00120.txt');
  const written = await stat(previous).catch(() => undefined);
  return written?.isFile() && written.mtimeMs >= originalTime ? previous : original;
}

function outcomeRuleFrom(options: SmsConnection['options'], label: string): OutcomeRule {
  const raw = options[RESULTS_OPTIONS.passPercent];
  if (raw === undefined || raw === '') {
    throw new ResultsDestinationError(
      `${label} results cannot be written: the outcome rule is not set (SMS connection option "${RESULTS_OPTIONS.passPercent}").`,
      `Set "${RESULTS_OPTIONS.passPercent}" to the grade percent at which a completed unit is competent (for example 50); outcome codes default to 20 (competent), 30 (not competent) and 70 (continuing).`,
      RESULTS_OPTIONS.passPercent,
    );
  }
  const passPercent = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : Number.NaN;
  const code = (key: string, fallback?: string): string | undefined => {
    const value = options[key];
    return value === undefined || value === '' ? fallback : String(value).trim();
  };
  const completedOutcome = code(RESULTS_OPTIONS.completed, '20')!;
  const rule: OutcomeRule = {
    passPercent,
    completedOutcome,
    notYetCompleteOutcome: code(RESULTS_OPTIONS.notYetComplete, '70')!,
    failedOutcome: code(RESULTS_OPTIONS.failed, '30')!,
  };
  const ungraded = code(RESULTS_OPTIONS.ungradedCompleted);
  if (ungraded !== undefined) rule.ungradedCompletedOutcome = ungraded;
  try {
    // The adapter validates the rule when it is created: codes the LMS may set (C.3), a percentage.
    createAvetmissAdapter({ outcomeRule: rule });
  } catch (error) {
    if (!(error instanceof SmsImportError)) throw error;
    const setting = ruleOption(error.where.field);
    throw new ResultsDestinationError(
      `${label} results cannot be written: the outcome rule is not valid (SMS connection option "${setting}": ${error.describe()}).`,
      `Correct "${setting}" in the SMS connection's options.`,
      setting,
    );
  }
  return rule;
}

function ruleOption(field: string | undefined): string {
  switch (field) {
    case 'completedOutcome':
      return RESULTS_OPTIONS.completed;
    case 'notYetCompleteOutcome':
      return RESULTS_OPTIONS.notYetComplete;
    case 'failedOutcome':
      return RESULTS_OPTIONS.failed;
    case 'ungradedCompletedOutcome':
      return RESULTS_OPTIONS.ungradedCompleted;
    default:
      return RESULTS_OPTIONS.passPercent;
  }
}

function oneRosterDestination(sms: SmsConnection, folder: string): ResultsDestination {
  const label = SMS_PROVIDER_INFO[sms.provider].label;
  const source = sms.source?.trim();
  if (!source) {
    return failing(
      'oneroster',
      new ResultsDestinationError(
        `${label} results cannot be written: the SMS connection has no OneRoster export (source) to read classes and terms from.`,
        'Choose the OneRoster zip or folder in the SMS connection; gradebook line items need each class and its term.',
        'source',
      ),
    );
  }
  return {
    route: 'oneroster',
    describe: `OneRoster lineItems.csv and results.csv in ${folder}, for ${label} to import`,
    async write(records) {
      // Results carry only person and course; line items need each class's term and school, so the export
      // the snapshot came from is read again (only when there is something to write).
      const courseFrom = sms.options.courseFrom === 'course' ? 'course' : 'class';
      const adapter = createOneRosterAdapter({ courseFrom });
      await withSmsErrors(label, () => adapter.import({ kind: 'path', path: resolve(source) }), 'read');
      const report = await withSmsErrors(label, () => adapter.exportResults!(records, folder));
      return {
        written: report.records,
        where: join(folder, 'results.csv'),
        files: report.files,
        warnings: report.warnings,
      };
    },
  };
}

/** An SMS adapter's error as a ResultsDestinationError whose message carries the file, line and field. */
async function withSmsErrors<T>(label: string, run: () => Promise<T>, step: 'read' | 'write' = 'write'): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof SmsImportError)) throw error;
    const problem =
      step === 'read'
        ? `${label} results were not written: the export they are written against could not be read (${error.describe()}).`
        : `${label} results were not written: ${error.describe()}.`;
    throw new ResultsDestinationError(
      problem,
      "Check the SMS connection's export (source); the same results are offered again next run.",
      'source',
    );
  }
}
