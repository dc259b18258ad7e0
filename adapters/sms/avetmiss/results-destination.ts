import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SmsImportError } from '../../contract';
import { ResultsDestinationError, type ResultsDestination, type SmsResultsContext } from '../../descriptor';
import { failingDestination, missingSourceDestination, withSmsErrors } from '../results-writing';
import { createAvetmissAdapter } from './adapter';
import type { AvetmissOptions } from './descriptor';
import { decideOutcome, outcomeFor, type OutcomeRule } from './outcome-rule';

/**
 * The outcome rule's connection options. Flat, because connection options hold strings, numbers and
 * booleans only.
 */
export const OUTCOME_OPTIONS = {
  /** Grade percent at or above which a completed enrolment is competent. Required: the admin's call. */
  passPercent: 'outcomePassPercent',
  /** Outcome codes (C.3); defaults 20, 70, 30 and (ungraded) the completed code. */
  completed: 'outcomeCompleted',
  notYetComplete: 'outcomeNotYetComplete',
  failed: 'outcomeFailed',
  ungradedCompleted: 'outcomeUngradedCompleted',
} as const;

/**
 * AVETMISS providers (VETtrak, JobReady, PowerPro, Paradigm): NAT00120 rewritten with outcome
 * identifiers from the connection's outcome rule, plus NAT00120-results.csv.
 */
export function avetmissResultsDestination({
  connection,
  options,
  label,
  folder,
}: SmsResultsContext<AvetmissOptions>): ResultsDestination {
  const source = connection.source?.trim();
  if (!source) {
    return missingSourceDestination(
      'avetmiss',
      `${label} results cannot be written: the SMS connection has no export folder (source) to take the original NAT00120 from.`,
      `Choose the folder ${label} saves its NAT export into in the SMS connection.`,
    );
  }
  let rule: OutcomeRule;
  try {
    rule = outcomeRuleFrom(options, label);
  } catch (error) {
    if (error instanceof ResultsDestinationError) return failingDestination('avetmiss', error);
    throw error;
  }
  const describe = `${label}'s NAT00120.txt in ${folder}, with outcome identifiers from LMS results (competent at ${rule.passPercent} % or more: ${rule.completedOutcome}; below: ${rule.failedOutcome}; not finished: ${rule.notYetCompleteOutcome})`;
  return {
    route: 'avetmiss',
    describe,
    outcomes: {
      passPercent: rule.passPercent,
      outcomeFor: (record) => outcomeFor(record, rule),
      keeps: (current, proposed) => {
        const decision = decideOutcome(current, proposed);
        return decision.write ? null : decision.reason;
      },
    },
    async write(records) {
      const original = await originalActivities(resolve(source), folder);
      const courseFrom = options.courseFrom ?? 'subject';
      const adapter = createAvetmissAdapter({ courseFrom, outcomeRule: rule, originalActivities: original });
      const report = await withSmsErrors(label, () => adapter.exportResults(records, folder));
      return {
        written: report.records,
        where: report.files[0] ?? join(folder, 'NAT00120.txt'),
        files: report.files,
        warnings: report.warnings,
        ...(report.refused ? { refused: report.refused } : {}),
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

function outcomeRuleFrom(options: AvetmissOptions, label: string): OutcomeRule {
  const raw = options[OUTCOME_OPTIONS.passPercent];
  if (raw === undefined || raw === '') {
    throw new ResultsDestinationError(
      `${label} results cannot be written: the outcome rule is not set (SMS connection option "${OUTCOME_OPTIONS.passPercent}").`,
      `Set "${OUTCOME_OPTIONS.passPercent}" to the grade percent at which a completed unit is competent (for example 50); outcome codes default to 20 (competent), 30 (not competent) and 70 (continuing).`,
      OUTCOME_OPTIONS.passPercent,
    );
  }
  const passPercent = typeof raw === 'number' ? raw : Number(raw.trim());
  const code = (key: Exclude<keyof AvetmissOptions, 'courseFrom'>, fallback?: string): string | undefined => {
    const value = options[key];
    return value === undefined || value === '' ? fallback : String(value).trim();
  };
  const completedOutcome = code(OUTCOME_OPTIONS.completed, '20')!;
  const rule: OutcomeRule = {
    passPercent,
    completedOutcome,
    notYetCompleteOutcome: code(OUTCOME_OPTIONS.notYetComplete, '70')!,
    failedOutcome: code(OUTCOME_OPTIONS.failed, '30')!,
  };
  const ungraded = code(OUTCOME_OPTIONS.ungradedCompleted);
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
      return OUTCOME_OPTIONS.completed;
    case 'notYetCompleteOutcome':
      return OUTCOME_OPTIONS.notYetComplete;
    case 'failedOutcome':
      return OUTCOME_OPTIONS.failed;
    case 'ungradedCompletedOutcome':
      return OUTCOME_OPTIONS.ungradedCompleted;
    default:
      return OUTCOME_OPTIONS.passPercent;
  }
}
