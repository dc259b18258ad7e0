import { LmsError, type AdapterLogger } from '../../../adapters/contract';
import { createLmsAdapter, type LmsTarget } from './lms-adapter-factory';

/** How many of the site's first account ids are read (one lookup request; ids missing are left out). */
export const ACCOUNT_SAMPLE = 300;

/** What existing accounts show about a site's sign-in methods and custom profile fields. */
export interface AccountFacts {
  /** Accounts read (of the first ACCOUNT_SAMPLE ids, guest and deleted ones not among them). */
  sampled: number;
  /** Auth methods those accounts use, most used first ('' left out: the token may not see them). */
  auths: { auth: string; accounts: number }[];
  /** Custom profile fields any of them has a value in, by shortname. */
  customFields: { shortname: string; name: string }[];
  /**
   * The site's course categories by name ("Parent / Child"), for the rules that name a category
   * (core_course_get_categories). Absent when the token may not list them: the rules then take an id.
   */
  categories?: { id: number; name: string }[];
  /** Why nothing could be read (the wizard then lets the admin type names). */
  problem?: string;
}

/**
 * Moodle has no web service that lists the installed auth plugins or the profile field definitions
 * (reference §3.2 lists none), so the wizard learns what it can from existing accounts: the first
 * account ids of the site, read with core_user_get_users_by_field (field=id). Auth methods show only
 * with moodle/user:update; custom fields only where an account has a value. A fresh site shows little.
 */
export async function readAccountFacts(
  target: LmsTarget,
  token: string,
  logger?: AdapterLogger,
): Promise<AccountFacts> {
  const adapter = createLmsAdapter(target, token, logger, { maxAttempts: 1, timeoutMs: 20_000 });
  try {
    // Id 1 is the guest account.
    const ids = Array.from({ length: ACCOUNT_SAMPLE }, (_, i) => i + 2);
    const users = await adapter.findUsers('id', ids);
    const auths = new Map<string, number>();
    const fields = new Map<string, string>();
    for (const u of users) {
      if (u.auth) auths.set(u.auth, (auths.get(u.auth) ?? 0) + 1);
      for (const f of u.profileFields ?? []) if (!fields.has(f.shortname)) fields.set(f.shortname, f.name);
    }
    const categories = await adapter.listCategories().then(categoryNames, (err: unknown) => {
      // A token without the categories function still reads the accounts: the rules then take ids.
      if (err instanceof LmsError) return undefined;
      throw err;
    });
    return {
      ...(categories ? { categories } : {}),
      sampled: users.length,
      auths: [...auths].map(([auth, accounts]) => ({ auth, accounts })).sort((a, b) => b.accounts - a.accounts),
      customFields: [...fields]
        .map(([shortname, name]) => ({ shortname, name }))
        .sort((a, b) => a.shortname.localeCompare(b.shortname)),
    };
  } catch (err) {
    if (!(err instanceof LmsError)) throw err;
    return { sampled: 0, auths: [], customFields: [], problem: `${err.message}${err.fix ? ` ${err.fix}` : ''}` };
  }
}

/** Each category with its parents' names before it, in the site's order of paths. */
function categoryNames(list: readonly { id: number; name: string; parent: number }[]): { id: number; name: string }[] {
  const byId = new Map(list.map((c) => [c.id, c] as const));
  const path = (id: number, seen = new Set<number>()): string => {
    const c = byId.get(id);
    if (!c || seen.has(id)) return '';
    seen.add(id);
    const above = c.parent ? path(c.parent, seen) : '';
    return above ? `${above} / ${c.name}` : c.name;
  };
  return list.map((c) => ({ id: c.id, name: path(c.id) })).sort((a, b) => a.name.localeCompare(b.name));
}
