import type { LmsUserGrades } from '../../../../adapters/contract';
import type { Store } from '../../store/store';

/** How an LMS user was recognised as an SMS person. */
export type PersonMatchRule = 'link' | 'idnumber';

export interface PersonMatch {
  personSmsId: string;
  rule: PersonMatchRule;
}

/**
 * Finds the SMS person behind an LMS user, by these rules in order:
 * 1. a person link of this connection (written by upload when it created or found the user): the
 *    LMS user id is the link's LMS id;
 * 2. otherwise the user's LMS idnumber, when it equals the SMS id of a person in the current snapshot
 *    (every connection's mapping writes the SMS id into idnumber, so users made before ClassBridge —
 *    or by another tool following the same rule — are still recognised).
 * No match by name or email: two students can share both, and a result must never land on the wrong
 * person. Users matched by neither rule (a teacher's test student, a manual enrolment) get no result.
 */
export class PersonMatcher {
  private readonly smsIdByLmsUserId: Map<string, string>;
  /** Read on the first user no link matches: when upload made every user, the snapshot is never read. */
  private snapshotPeople: Set<string> | undefined;

  constructor(
    private readonly store: Store,
    connectionId: string,
  ) {
    this.smsIdByLmsUserId = new Map(
      [...store.links.all(connectionId, 'person')].map(([smsId, lmsId]) => [lmsId, smsId] as const),
    );
  }

  match(user: Pick<LmsUserGrades, 'userId' | 'userIdnumber'>): PersonMatch | undefined {
    const linked = this.smsIdByLmsUserId.get(String(user.userId));
    if (linked !== undefined) return { personSmsId: linked, rule: 'link' };
    const idnumber = user.userIdnumber.trim();
    if (idnumber === '') return undefined;
    this.snapshotPeople ??= new Set(this.store.snapshot.read().people.map((p) => p.smsId));
    if (this.snapshotPeople.has(idnumber)) return { personSmsId: idnumber, rule: 'idnumber' };
    return undefined;
  }
}
