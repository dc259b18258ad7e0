import type { LmsAdapter, LmsUser } from '../../../../adapters/contract';
import type { PreviewRecords, RecordRow } from '../plan/preview-records';

/**
 * The dry run's people rows (plan/preview-records.ts) as the upload would find them: asks the LMS
 * about the accounts the shown "create" rows would make (by idnumber, then username, as the upload
 * does: find-existing.ts) and says which would be linked instead. At most PREVIEW_RECORDS rows, two
 * requests in all. Protected accounts (the token's own user,
 * the site's admin and guest) are never linked: their rows say the upload leaves them for the admin.
 * A failed look-up leaves the rows as they are (the dry run's warnings say what the LMS refused).
 */
export async function lookUpExistingAccounts(
  records: PreviewRecords,
  adapter: Pick<LmsAdapter, 'findUsers'>,
  rules: { linkExisting: boolean; tokenUserId: () => Promise<number | undefined> },
): Promise<PreviewRecords> {
  const wanted = records.people.flatMap((r) =>
    r.status === 'create' && r.account ? [{ key: r.key, ...r.account }] : [],
  );
  if (wanted.length === 0) return records;
  let byIdnumber: Map<string, LmsUser>;
  let byUsername: Map<string, LmsUser>;
  try {
    const idnumbers = wanted.map((p) => p.idnumber).filter((v) => v !== '');
    const [a, b] = await Promise.all([
      idnumbers.length > 0 ? adapter.findUsers('idnumber', idnumbers) : Promise.resolve([]),
      adapter.findUsers(
        'username',
        wanted.map((p) => p.username),
      ),
    ]);
    byIdnumber = new Map(a.map((u) => [u.idnumber, u]));
    byUsername = new Map(b.map((u) => [u.username, u]));
  } catch {
    return records;
  }
  const plannedByKey = new Map(wanted.map((p) => [p.key, p]));
  // The site is asked who the token is only when an account was found (as apply/creates.ts does).
  let tokenUser: Promise<number | undefined> | undefined;
  const isProtected = async (u: LmsUser) =>
    u.id <= 2 ||
    u.username === 'admin' ||
    u.username === 'guest' ||
    u.id === (await (tokenUser ??= rules.tokenUserId()));
  const people: RecordRow[] = [];
  for (const row of records.people) people.push(await lookedUp(row));
  return { ...records, people };

  async function lookedUp(row: RecordRow): Promise<RecordRow> {
    const p = row.status === 'create' ? plannedByKey.get(row.key) : undefined;
    if (!p) return row;
    const account = (u: LmsUser) => `LMS account ${u.username} (id ${u.id})`;
    const sameIdnumber = p.idnumber !== '' ? byIdnumber.get(p.idnumber) : undefined;
    const sameUsername = byUsername.get(p.username);
    const match = sameIdnumber ?? sameUsername;
    if (!match) return row;
    if (await isProtected(match))
      return {
        ...row,
        status: 'skip',
        detail: `${account(match)} is protected: the upload leaves it for you to decide`,
      };
    if (sameIdnumber) return { ...row, status: 'link', detail: `${account(match)}, the same idnumber` };
    if (match.idnumber !== '' && match.idnumber !== p.idnumber)
      return {
        ...row,
        status: 'skip',
        detail: `username ${p.username} is taken by another LMS user (id ${match.id}): change the username in the SMS`,
      };
    const sameEmail = p.email !== '' && p.email.toLowerCase() === match.email.toLowerCase();
    if (rules.linkExisting && sameEmail)
      return { ...row, status: 'link', detail: `${account(match)}, the same username and email` };
    return {
      ...row,
      status: 'skip',
      detail: `${account(match)} has this username and no idnumber: the upload asks you to link it, create another or skip`,
    };
  }
}
