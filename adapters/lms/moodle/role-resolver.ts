import { LmsError, type LmsEnrolledUser, type LmsRoleId, type LmsRoleSource } from '../../contract';

/**
 * Moodle's archetype roles and the ids a default install gives them (reference §3.5, §10). They are a
 * last resort: an upgraded or customised site may number them differently, so an id from here is used
 * for one enrolment first and checked against what Moodle then reports (see MoodleAdapter.enrol).
 */
export const ARCHETYPE_DEFAULT_IDS: Readonly<Record<string, number>> = {
  manager: 1,
  editingteacher: 3,
  teacher: 4,
  student: 5,
};

interface Entry {
  id: number;
  source: LmsRoleSource;
}

/**
 * Role shortname → role id on this site. Moodle has no core web service that lists roles, and ids
 * differ between sites, so an id comes, in this order, from the admin's mapping, an earlier run of this
 * connection, the roles Moodle reports on course participants, or — on a fresh site where nobody is
 * enrolled anywhere yet — Moodle's default for the archetype, which is verified before it is trusted.
 */
export class RoleResolver {
  private readonly ids = new Map<string, Entry>();
  /** Shortnames whose default id turned out to be another role on this site: never guessed again. */
  private readonly refuted = new Map<string, string>();

  constructor(configured: Readonly<Record<string, number>> = {}, cached: readonly LmsRoleId[] = []) {
    for (const role of cached) if (role.id !== null) this.ids.set(role.shortname, { id: role.id, source: 'cached' });
    for (const [shortname, id] of Object.entries(configured)) this.ids.set(shortname, { id, source: 'configured' });
  }

  /** What Moodle reports on participants is the truth: it replaces guesses and confirms defaults. */
  learnFrom(users: readonly LmsEnrolledUser[]): void {
    for (const user of users) {
      for (const role of user.roles) {
        const known = this.ids.get(role.shortname);
        if (!known || known.source === 'default') {
          this.ids.set(role.shortname, { id: role.roleId, source: known?.id === role.roleId ? 'verified' : 'learnt' });
        }
        // A default id that Moodle shows under another shortname is that other role here.
        for (const [shortname, entry] of this.ids) {
          if (entry.source === 'default' && entry.id === role.roleId && shortname !== role.shortname) {
            this.ids.delete(shortname);
            this.refuted.set(shortname, role.shortname);
          }
        }
      }
    }
  }

  /** Fills what is still unknown with archetype defaults, to be verified at the first enrolment. */
  assumeDefaults(shortnames: Iterable<string>): void {
    for (const shortname of shortnames) {
      const id = ARCHETYPE_DEFAULT_IDS[shortname];
      if (id !== undefined && !this.ids.has(shortname) && !this.refuted.has(shortname))
        this.ids.set(shortname, { id, source: 'default' });
    }
  }

  /** The default id was enrolled with and Moodle reported this shortname for it. */
  confirm(shortname: string): void {
    const entry = this.ids.get(shortname);
    if (entry?.source === 'default') this.ids.set(shortname, { id: entry.id, source: 'verified' });
  }

  /** The default id was enrolled with and Moodle reported another role (or none) for it. */
  refute(shortname: string, actually: string): void {
    if (this.ids.get(shortname)?.source === 'default') this.ids.delete(shortname);
    this.refuted.set(shortname, actually);
  }

  has(shortname: string): boolean {
    return this.ids.has(shortname);
  }

  isUnverifiedDefault(shortname: string): boolean {
    return this.ids.get(shortname)?.source === 'default';
  }

  describe(shortname: string): LmsRoleId {
    const entry = this.ids.get(shortname);
    return entry ? { shortname, ...entry } : { shortname, id: null, source: 'unknown' };
  }

  /** Ids worth keeping for the next run; an unverified default is not one of them. */
  known(): LmsRoleId[] {
    return [...this.ids]
      .filter(([, e]) => e.source !== 'default')
      .map(([shortname, e]) => ({ shortname, id: e.id, source: e.source }));
  }

  idOf(shortname: string, operation: string): number {
    const id = this.ids.get(shortname)?.id;
    if (id !== undefined) return id;
    const refutedBy = this.refuted.get(shortname);
    const where =
      'Enter its id in the connection\'s role mapping ("roleIds"; Site administration › Users › Permissions › ' +
      'Define roles shows each role, its id is in the link), or check the shortname in the mapping.';
    throw new LmsError(
      'not-found',
      refutedBy
        ? `${operation}: the LMS role "${shortname}" does not have Moodle's default id on this site (that id is "${refutedBy}")`
        : `${operation}: the LMS role "${shortname}" was not found on this site`,
      {
        operation,
        // Not Moodle's code: ours, so every enrolment failing for one role groups as one cause.
        code: 'classbridge-role-unknown',
        fix: refutedBy
          ? `This site numbers its roles differently from a new Moodle. ${where}`
          : `No course ClassBridge can read has a participant with the role "${shortname}", and it is not one of Moodle's standard roles. ${where}`,
      },
    );
  }
}
