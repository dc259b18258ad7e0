import type { Store } from '../../store/store';
import type { PreviewRecords, RecordRow } from '../plan/preview-records';

/**
 * The dry run's "create" rows for people, made truthful about accounts that already exist: the plan
 * is local and says "create" for everyone ClassBridge has not applied, while the upload first looks
 * for each one in the LMS (apply/find-existing.ts) and links what it may take over. Two things are
 * checked, for the rows shown only (at most PREVIEW_RECORDS people, so a fixed cost):
 *
 * - the admin's decision on an account found before (Dashboard → existing accounts; store.linkDecisions):
 *   link, create with another username, skip, or still waiting;
 * - the LMS itself (apply/preview-existing-accounts.ts, two requests for all rows): the same idnumber is linked; the
 *   same username without an idnumber waits for the admin (or is linked with mapping.linkExistingAccounts
 *   and the same email); the same username with another idnumber is a conflict the upload reports.
 */
export function withLinkDecisions(records: PreviewRecords, store: Store, connectionId: string): PreviewRecords {
  const people = records.people.map((row): RecordRow => {
    if (row.status !== 'create') return row;
    const d = store.linkDecisions.forPerson(connectionId, row.key);
    if (!d || d.appliedAt !== null) return row;
    const account = `LMS account ${d.lms.username} (id ${d.lmsUserId})`;
    switch (d.state) {
      case 'link':
        return { ...row, status: 'link', detail: `${account}, as you decided` };
      case 'skip':
        return { ...row, status: 'skip', detail: `you chose Skip for ${account}` };
      case 'create':
        return {
          ...row,
          detail: `new account ${d.username ?? row.account?.username ?? ''}, as you decided (${account} is left as it is)`,
        };
      default:
        return {
          ...row,
          status: 'skip',
          detail: `${account} already exists: waiting for your decision on the Dashboard`,
        };
    }
  });
  return { ...records, people };
}
