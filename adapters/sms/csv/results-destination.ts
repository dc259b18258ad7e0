import { join } from 'node:path';
import type { ResultsDestination } from '../../descriptor';
import { exportResults, RESULTS_FILE } from './export-results';

/**
 * results.csv in a folder: the CSV adapter's own writer, and the file every other SMS falls back to
 * where it takes nothing back (the route says which, for the run message and the tests).
 */
export function csvResultsDestination(route: string, folder: string, describe: string): ResultsDestination {
  return {
    route,
    describe,
    async write(records) {
      const report = await exportResults(records, folder);
      return {
        written: report.records,
        where: join(folder, RESULTS_FILE),
        files: report.files,
        warnings: report.warnings,
      };
    },
  };
}
