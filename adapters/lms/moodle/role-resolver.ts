import { LmsError, type LmsEnrolledUser } from '../../contract';

/**
 * Role shortname → role id on this site. Moodle has no core web service that lists roles, and ids
 * differ between sites (renamed, re-created, Totara's own), so ids are never hard-coded: they come
 * from the admin's mapping, or are learnt from the roles Moodle reports on course participants.
 */
export class RoleResolver {
  private readonly ids = new Map<string, number>();

  constructor(configured: Readonly<Record<string, number>> = {}) {
    for (const [shortname, id] of Object.entries(configured)) this.ids.set(shortname, id);
  }

  learnFrom(users: readonly LmsEnrolledUser[]): void {
    for (const user of users) {
      for (const role of user.roles) if (!this.ids.has(role.shortname)) this.ids.set(role.shortname, role.roleId);
    }
  }

  has(shortname: string): boolean {
    return this.ids.has(shortname);
  }

  idOf(shortname: string, operation: string): number {
    const id = this.ids.get(shortname);
    if (id !== undefined) return id;
    throw new LmsError('not-found', `${operation}: the LMS role "${shortname}" is not known yet`, {
      operation,
      fix:
        `ClassBridge looks role ids up by shortname and has not seen "${shortname}" on this site. Enter its id in the ` +
        `connection's role mapping (Site administration › Users › Permissions › Define roles shows it), or check the shortname.`,
    });
  }
}
