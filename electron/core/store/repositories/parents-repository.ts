import type { Database } from 'better-sqlite3';
import { parentRoleKey, type AppliedParents, type ParentAccount, type ParentRoleAssignment } from '../../model';

/**
 * The parents rule's applied state. Each write is journalled as its batch returns (one transaction per
 * batch), so an apply that stops anywhere resumes from here without creating an account or assigning a
 * role twice.
 */
export class ParentsRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  applied(connectionId: string): AppliedParents {
    type A = {
      guardian_sms_id: string;
      lms_id: number;
      username: string;
      idnumber: string;
      firstname: string;
      lastname: string;
      email: string;
    };
    type R = {
      guardian_sms_id: string;
      child_sms_id: string;
      role_id: number;
      parent_lms_id: number;
      child_lms_id: number;
    };
    const accounts = this.db
      .prepare(
        'SELECT guardian_sms_id, lms_id, username, idnumber, firstname, lastname, email FROM parent_accounts WHERE connection_id = ?',
      )
      .all(connectionId) as A[];
    const roles = this.db
      .prepare(
        'SELECT guardian_sms_id, child_sms_id, role_id, parent_lms_id, child_lms_id FROM parent_roles WHERE connection_id = ?',
      )
      .all(connectionId) as R[];
    return {
      accounts: new Map(
        accounts.map((a) => [
          a.guardian_sms_id,
          {
            guardianSmsId: a.guardian_sms_id,
            lmsId: a.lms_id,
            username: a.username,
            idnumber: a.idnumber,
            firstname: a.firstname,
            lastname: a.lastname,
            email: a.email,
          },
        ]),
      ),
      roles: new Map(
        roles.map((r) => [
          parentRoleKey(r.guardian_sms_id, r.child_sms_id),
          {
            guardianSmsId: r.guardian_sms_id,
            childSmsId: r.child_sms_id,
            roleId: r.role_id,
            parentLmsId: r.parent_lms_id,
            childLmsId: r.child_lms_id,
          },
        ]),
      ),
    };
  }

  /** Accounts made or found: recorded at once, so a resumed apply finds them instead of creating again. */
  recordAccounts(connectionId: string, accounts: readonly ParentAccount[]): void {
    if (accounts.length === 0) return;
    const at = this.now().toISOString();
    const insert = this.db.prepare(
      `INSERT INTO parent_accounts
         (connection_id, guardian_sms_id, lms_id, username, idnumber, firstname, lastname, email, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (connection_id, guardian_sms_id) DO UPDATE SET lms_id = excluded.lms_id, username = excluded.username,
         idnumber = excluded.idnumber, firstname = excluded.firstname, lastname = excluded.lastname, email = excluded.email`,
    );
    this.db.transaction(() => {
      for (const a of accounts)
        insert.run(
          connectionId,
          a.guardianSmsId,
          a.lmsId,
          a.username,
          a.idnumber,
          a.firstname,
          a.lastname,
          a.email,
          at,
        );
    })();
  }

  /** Names and email written to an account (its username and idnumber stay). */
  recordUpdated(
    connectionId: string,
    accounts: readonly Pick<ParentAccount, 'guardianSmsId' | 'firstname' | 'lastname' | 'email'>[],
  ): void {
    if (accounts.length === 0) return;
    const update = this.db.prepare(
      'UPDATE parent_accounts SET firstname = ?, lastname = ?, email = ? WHERE connection_id = ? AND guardian_sms_id = ?',
    );
    this.db.transaction(() => {
      for (const a of accounts) update.run(a.firstname, a.lastname, a.email, connectionId, a.guardianSmsId);
    })();
  }

  recordAssigned(connectionId: string, assignments: readonly ParentRoleAssignment[]): void {
    if (assignments.length === 0) return;
    const at = this.now().toISOString();
    const insert = this.db.prepare(
      `INSERT INTO parent_roles (connection_id, guardian_sms_id, child_sms_id, role_id, parent_lms_id, child_lms_id, assigned_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (connection_id, guardian_sms_id, child_sms_id) DO UPDATE SET role_id = excluded.role_id,
         parent_lms_id = excluded.parent_lms_id, child_lms_id = excluded.child_lms_id, assigned_at = excluded.assigned_at`,
    );
    this.db.transaction(() => {
      for (const a of assignments)
        insert.run(connectionId, a.guardianSmsId, a.childSmsId, a.roleId, a.parentLmsId, a.childLmsId, at);
    })();
  }

  recordUnassigned(connectionId: string, keys: readonly { guardianSmsId: string; childSmsId: string }[]): void {
    if (keys.length === 0) return;
    const remove = this.db.prepare(
      'DELETE FROM parent_roles WHERE connection_id = ? AND guardian_sms_id = ? AND child_sms_id = ?',
    );
    this.db.transaction(() => {
      for (const k of keys) remove.run(connectionId, k.guardianSmsId, k.childSmsId);
    })();
  }

  /** Role assignments ClassBridge holds on this connection (the safety rail's base). */
  countRoles(connectionId: string): number {
    return (
      this.db.prepare('SELECT count(*) AS n FROM parent_roles WHERE connection_id = ?').get(connectionId) as {
        n: number;
      }
    ).n;
  }
}
