import { resolve } from 'node:path';
import {
  SmsImportError,
  type SmsAdapter,
  type SmsExportReport,
  type SmsResultRecord,
  type SmsSource,
} from '../../contract';
import type { CourseFrom } from './activities';
import { exportNatResults } from './export-results';
import { DESCRIPTION, importNatPackage } from './import-package';
import { DEFAULT_OUTCOME_RULE, validateOutcomeRule, type OutcomeRule } from './outcome-rule';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip';

export interface AvetmissAdapterOptions {
  /**
   * What one LMS course is (the admin's choice): 'subject' (default) = one course per unit of
   * competency (NAT00060); 'program' = one per qualification (NAT00030), enrolments per client+program.
   */
  courseFrom?: CourseFrom;
  /** LMS result → outcome identifier (C.3); validated when the adapter is created. */
  outcomeRule?: Partial<OutcomeRule>;
  /**
   * The original NAT00120 that exportResults rewrites: a NAT00120 file, or the folder or zip it is
   * in. Default: the source of the last successful import by this adapter.
   */
  originalActivities?: string;
  zipLimits?: Partial<ZipLimits>;
}

export interface AvetmissAdapter extends SmsAdapter {
  exportResults(results: readonly SmsResultRecord[], folder: string): Promise<SmsExportReport>;
  /** The folder or zip of the last successful import (what exportResults rewrites by default). */
  lastImportedSource(): string | undefined;
}

export function createAvetmissAdapter(options: AvetmissAdapterOptions = {}): AvetmissAdapter {
  const courseFrom = options.courseFrom ?? 'subject';
  if (courseFrom !== 'subject' && courseFrom !== 'program') {
    throw new SmsImportError('format', 'courseFrom must be subject or program', {
      field: 'courseFrom',
      expected: "'subject' or 'program'",
      found: String(courseFrom),
    });
  }
  const rule = validateOutcomeRule({ ...DEFAULT_OUTCOME_RULE, ...options.outcomeRule });
  const zipLimits = { ...DEFAULT_ZIP_LIMITS, ...options.zipLimits };
  let lastSource: string | undefined;
  return {
    describe: () => structuredClone(DESCRIPTION),
    async import(source: SmsSource) {
      if (source.kind !== 'path') {
        throw new SmsImportError('format', 'AVETMISS is read from NAT files, not pushed payloads', {
          expected: 'a folder or .zip of NAT files',
          found: source.kind,
        });
      }
      const result = await importNatPackage(source.path, { courseFrom, zipLimits });
      lastSource = resolve(source.path);
      return result;
    },
    async exportResults(results, folder) {
      const original = options.originalActivities ?? lastSource;
      if (original === undefined) {
        throw new SmsImportError('missing', 'No original NAT00120 to write results into: import first', {
          file: 'NAT00120.txt',
          expected: 'an import before exportResults, or the originalActivities option',
        });
      }
      return exportNatResults(results, folder, { original, courseFrom, rule, zipLimits });
    },
    lastImportedSource: () => lastSource,
  };
}
