import { join, resolve } from 'node:path';
import type { ResultsDestination } from '../../../../adapters/descriptor';
import { RESULTS_FILE } from '../../../../adapters/sms/csv';
import { csvResultsDestination } from '../../../../adapters/sms/csv/results-destination';
import { smsAdapterOf, smsOptionsOf } from '../../../../adapters/sms/registry';
import { SMS_PROVIDER_INFO, type Settings, type SmsConnection } from '../../model';

export {
  ResultsDestinationError,
  type ResultsDestination,
  type ResultsWriteReport,
} from '../../../../adapters/descriptor';

/**
 * Picks how results of one LMS connection reach the SMS: the results writer its adapter's descriptor
 * brings (AVETMISS NAT00120 with outcome identifiers, OneRoster lineItems/results, CSV results.csv),
 * or results.csv in `<dataDir>/results/<lms>/` with a description that says why — no SMS, results
 * auto-export off, a provider with no direct link, or an SMS that takes nothing back (KAMAR).
 * The connection's `resultsFolder` option moves the files elsewhere.
 */
export function resultsDestinationFor(
  sms: SmsConnection | undefined,
  lmsConnectionId: string,
  dataDir: string,
  settings: Pick<Settings, 'results'> & Partial<Pick<Settings, 'useSms'>>,
): ResultsDestination {
  const dataFolder = join(dataDir, 'results', lmsConnectionId);
  if (!sms || settings.useSms === false) {
    return csvResultsDestination(
      'fallback-csv',
      dataFolder,
      `${RESULTS_FILE} in ${dataFolder} (there is no SMS connection to send results to)`,
    );
  }
  const info = SMS_PROVIDER_INFO[sms.provider];
  if (!settings.results.autoExport) {
    return csvResultsDestination(
      'fallback-csv',
      dataFolder,
      `${RESULTS_FILE} in ${dataFolder}: results auto-export is off, so nothing is sent to ${info.label} (turn on results auto-export, settings.results.autoExport, to write ${info.label}'s own results file)`,
    );
  }
  const option = sms.options.resultsFolder;
  const folder = typeof option === 'string' && option.trim() !== '' ? resolve(option) : dataFolder;
  if (!info.directLink) {
    return csvResultsDestination(
      'fallback-csv',
      folder,
      `${RESULTS_FILE} in ${folder} to import into ${info.label} by hand: ${info.label} has no interface ClassBridge can send results to`,
    );
  }
  const adapter = smsAdapterOf(sms.provider);
  if (!adapter.resultsWriter) {
    const reason = adapter.noResultsReason?.(info.label) ?? `${info.label} takes no results file from ClassBridge`;
    return csvResultsDestination('fallback-csv', folder, `${RESULTS_FILE} in ${folder} to import by hand: ${reason}`);
  }
  return adapter.resultsWriter({
    connection: sms,
    options: smsOptionsOf(adapter, sms),
    label: info.label,
    folder,
  });
}
