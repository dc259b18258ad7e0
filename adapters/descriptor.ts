/**
 * What each adapter folder says about itself, once: the engine's factories, the export watch, the
 * receiver, results delivery, `classbridge check` / `import` / `doctor` and (through the Api's
 * `providers:list`) the setup wizard all read these, so no engine, host or renderer file names a
 * provider or a format. Adding an adapter is its folder with a descriptor, plus one line in
 * adapters/sms/registry.ts or adapters/lms/registry.ts.
 */

import type { z } from 'zod';
import type {
  LmsProvider,
  ProviderRoute,
  SmsConnection,
  SmsProvider,
  SmsProviderInfo,
  SmsRoute,
} from '../electron/core/model';
import type {
  AdapterLogger,
  LmsAdapter,
  LmsConnectionOptions,
  LmsRoleId,
  SmsAdapter,
  SmsImportResult,
  SmsRefusedResult,
  SmsResultRecord,
  SmsSnapshot,
  SmsWarning,
} from './contract';

// ═══ SMS side ═══════════════════════════════════════════════════════════════════════════════════

/** A provider row as its adapter sees it: its id and its row in the model's provider table. */
export type SmsProviderRow = SmsProviderInfo & { id: SmsProvider };

/** What detection looks at: the lower-cased base names of a folder's files, a zip's entries or one file. */
export interface SmsDetectInput {
  kind: 'folder' | 'zip' | 'file';
  names: readonly string[];
}

export interface SmsCreateContext<Options> {
  /** The source about to be read. */
  path: string;
  /** The connection's options, already checked by the descriptor's schema. */
  options: Options;
  /** The configured SMS connection, where there is one (`check` before set-up has none). */
  connection?: SmsConnection;
  /**
   * The current snapshot, for sources that send only changes (a OneRoster delta). A function is
   * called only when the reader needs it, so a bulk export never loads the stored school.
   */
  base?: SmsSnapshot | (() => SmsSnapshot | undefined);
}

/** What one results delivery wrote. */
export interface ResultsWriteReport {
  /** Records that reached the file: rows (CSV, OneRoster results) or NAT00120 outcomes changed. */
  written: number;
  /** In words, for the run message: "NAT00120.txt in /x". */
  where: string;
  files: string[];
  warnings: SmsWarning[];
  /** Results left unwritten for a reason per person and unit (SmsExportReport.refused): offered again next time. */
  refused?: SmsRefusedResult[];
}

export interface ResultsDestination {
  /** Which writer: an adapter's own (its descriptor id), or the fallback results.csv. */
  route: string;
  /** Where results go, in words for the admin (and why, for the fallback). */
  describe: string;
  /** The writer results delivery calls; throws ResultsDestinationError when configuration is missing. */
  write(records: readonly SmsResultRecord[]): Promise<ResultsWriteReport>;
  /**
   * For a writer that turns results into outcome codes (AVETMISS): the rule, so the engine knows before
   * writing what each record would get — to compare with the SMS's own outcome (a person's correction
   * is a conflict, not overwritten), to queue results near the pass mark, and to show the review.
   */
  outcomes?: ResultOutcomes;
  /** Why this writer cannot write until its configuration is fixed (a missing pass mark, no source). */
  refusal?: ResultsDestinationError;
  /**
   * Whether the SMS takes only a numeric score per result (OneRoster 1.1): a letter-only course grade
   * cannot travel. For results readiness (sync/results/readiness); absent: a text grade travels too.
   */
  numericScoreOnly?(): Promise<boolean>;
}

/** How a results writer decides outcomes (the same function its write uses). */
export interface ResultOutcomes {
  /** The grade percent at or above which a completed result is competent. */
  passPercent: number;
  outcomeFor(record: SmsResultRecord): string;
  /**
   * Why the writer keeps the SMS's outcome instead of `proposed` (AVETMISS: an outcome set in the SMS
   * only, a final outcome not reopened); null when it writes `proposed`.
   */
  keeps?(current: string, proposed: string): string | null;
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

export interface SmsResultsContext<Options> {
  connection: SmsConnection;
  options: Options;
  /** The provider's name for the admin ("VETtrak"). */
  label: string;
  /** The folder results are written to (the connection's resultsFolder, else the data folder's). */
  folder: string;
}

/** A watch on an export folder; the engine falls back to polling the source when an adapter has none. */
export interface SmsExportWatchHandlers {
  read(path: string): Promise<SmsImportResult>;
  imported(result: SmsImportResult, path: string): void;
  refused(error: unknown, path: string): void;
  settleMs?: number;
}

export interface SmsAdapterDescriptor<Options = unknown> {
  /** What provider rows point at (SmsProviderInfo.adapter) and `--provider` accepts. */
  id: string;
  /** The format in words: "AVETMISS NAT files". */
  displayName: string;
  /** Short, for run sources: "uploaded OneRoster export x.zip". */
  shortName: string;
  /** The routes this adapter serves. */
  routes: readonly SmsRoute[];
  /**
   * For adapters of one vendor's API (route 'api'): the providers they serve. Format readers leave it
   * out: provider rows name them instead, since several providers share one format.
   */
  providers?: readonly SmsProvider[];
  /** False for a route that is only planned: the wizard lists it as "not available yet". */
  built: boolean;
  /** The connection's `options`, typed. Checked where a connection is saved or imported. */
  optionsSchema: z.ZodType<Options>;
  /** Connection options worth saying when `check` reads an export with them. */
  describeOptions?(options: Options): string[];
  /** Whether a file, folder or zip is this adapter's export (asked in registry order). */
  detect?(input: SmsDetectInput): boolean;
  create(context: SmsCreateContext<Options>): SmsAdapter | Promise<SmsAdapter>;
  /**
   * The adapter's own results writer. Absent where the SMS takes nothing back: the engine then writes
   * results.csv and says why (`noResultsReason`).
   */
  resultsWriter?(context: SmsResultsContext<Options>): ResultsDestination;
  noResultsReason?(label: string): string;
  /** The adapter's own export-folder watch (AVETMISS: a settled NAT set); else the source is polled. */
  watch?(source: string, handlers: SmsExportWatchHandlers): { close(): void };
  /** What the wizard asks and says for a provider read by this adapter (serialisable). */
  wizard(provider: SmsProviderRow): SmsWizardPart;
}

/** The descriptor's contribution to the wizard (the rest of SmsProviderSetup is the provider row). */
export interface SmsWizardPart {
  /** The routes this adapter offers the provider. */
  routes: ProviderRoute[];
  hasUsernames: boolean;
  asksOutcomeRule: boolean;
  results: { where: string; overwrites: string | null };
  setupSteps: string[];
}

// ═══ LMS side ═══════════════════════════════════════════════════════════════════════════════════

export interface LmsCreateContext {
  url: string;
  token: string;
  roleIds: Readonly<Record<string, number>>;
  /** Role ids an earlier run of this connection learnt or verified. */
  knownRoles: readonly LmsRoleId[];
  logger?: AdapterLogger;
  tuning: Omit<LmsConnectionOptions, 'url' | 'token' | 'logger'>;
}

export interface LmsAdapterDescriptor {
  id: string;
  /** The LMS providers this adapter serves, with their names for the admin (Moodle and Totara share one). */
  providers: readonly { id: LmsProvider; label: string }[];
  create(context: LmsCreateContext): LmsAdapter;
}
