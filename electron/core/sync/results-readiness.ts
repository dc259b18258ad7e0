import { LmsError, type AdapterLogger } from '../../../adapters/contract';
import { createLmsAdapter } from '../lms/lms-adapter-factory';
import type { LmsConnection, SmsConnection } from '../model';
import type { ConnectionReadiness } from '../model/course-readiness';
import type { SecretStore } from '../secrets';
import type { Store } from '../store/store';
import { checkReadiness, resultsNeedsFor } from './results/readiness';

/**
 * Readiness of the Open courses of every LMS connection (or one): what `courses:readiness` and
 * `classbridge doctor` show. Per connection: the SMS side's needs once, then one gradebook read per Open
 * course. A connection without a token, or one the LMS refuses, is reported with its fix; the others go on.
 */
export async function readinessFor(
  store: Store,
  secrets: SecretStore,
  logger?: AdapterLogger,
  connectionId?: string,
): Promise<ConnectionReadiness[]> {
  const connections = store.connections.list();
  const sms = connections.find((c): c is SmsConnection => c.kind === 'sms');
  const lms = connections.filter(
    (c): c is LmsConnection => c.kind === 'lms' && (connectionId === undefined || c.id === connectionId),
  );
  const settings = store.settings.get();
  const reports: ConnectionReadiness[] = [];
  for (const connection of lms) {
    const report: ConnectionReadiness = { connectionId: connection.id, connection: connection.name, courses: [] };
    reports.push(report);
    const token = await secrets.get(connection.id, 'token').catch(() => undefined);
    if (!token) {
      report.error = {
        message: `No web-service token is stored for "${connection.name}", so its courses cannot be checked.`,
        fix: `Enter the token in the setup wizard, or run: printf %s "$TOKEN" | classbridge secret set ${connection.id} token`,
      };
      continue;
    }
    const adapter = createLmsAdapter({ ...connection, knownRoles: store.lmsRoles.list(connection.id) }, token, logger);
    try {
      const needs = await resultsNeedsFor(sms, connection.id, settings);
      report.courses = await checkReadiness(adapter, store, connection.id, needs);
    } catch (error) {
      if (!(error instanceof LmsError)) throw error;
      report.error = {
        message: `The courses of "${connection.name}" could not be checked: ${error.message}`,
        fix: error.fix ?? 'Run `classbridge doctor` for the connection test.',
      };
    }
  }
  return reports;
}
