import type { Logger } from '../logging/logger';
import type { LmsConnection } from '../model';
import { createLmsAdapter } from '../lms/lms-adapter-factory';
import { lookUpExistingAccounts } from '../sync/apply/preview-existing-accounts';
import type { PreviewRecords } from '../sync/plan/preview-records';

/**
 * sync:preview's hook for the table of records: the shown "create" rows for people looked up in the
 * LMS (sync/apply/preview-existing-accounts.ts), so an account that already exists shows as a link
 * (or as waiting for the admin), as the upload would treat it. Read-only look-ups, one attempt each;
 * without records or a token, the rows stay as the plan says.
 */
export async function recordsWithLmsAccounts(
  connection: LmsConnection,
  token: string | undefined,
  records: PreviewRecords | undefined,
  knownRoles: Parameters<typeof createLmsAdapter>[0]['knownRoles'],
  logger?: Logger,
): Promise<PreviewRecords | undefined> {
  if (!token || !records || !records.people.some((r) => r.status === 'create')) return records;
  const adapter = createLmsAdapter({ ...connection, knownRoles: knownRoles ?? [] }, token, logger, {
    maxAttempts: 1,
    timeoutMs: 20_000,
  });
  return lookUpExistingAccounts(records, adapter, {
    linkExisting: connection.mapping.linkExistingAccounts,
    tokenUserId: () =>
      adapter.describe().then(
        (d) => d.site.userId,
        () => undefined,
      ),
  });
}
