import type { LinkEntity } from '../../model';
import type { Store } from '../../store/store';
import type { AppliedChange, AppliedSection } from '../../store/repositories/applied-state-repository';
import {
  applyPlanToState,
  lookupFromLinks,
  stateEffects,
  type AppliedLinks,
  type AppliedMembership,
  type AppliedState,
  type IdLookup,
  OP_KINDS,
  type OpKind,
  type UploadPlan,
} from '../plan';
import type { NewRunError } from '../../store/repositories/runs-repository';

export type LinkedEntity = keyof AppliedLinks;

const LINK_ENTITY: Record<LinkedEntity, LinkEntity> = { people: 'person', courses: 'course', groups: 'group' };
const LINK_SECTION: Record<LinkedEntity, AppliedSection> = {
  people: 'links.people',
  courses: 'links.courses',
  groups: 'links.groups',
};

export interface LearntLink {
  entity: LinkedEntity;
  smsId: string;
  lmsId: number;
  /** The SMS id that held this LMS id until now (a re-key): its link goes in the same transaction. */
  replaces?: string;
}

/**
 * The apply step's memory. Every LMS id learnt is written to `store.links` as soon as its batch
 * returns (with that batch's run errors, in one transaction), and the applied state is persisted at
 * the end of each operation kind. A crash in between loses nothing that matters: the next run plans
 * from the persisted state, and its creates look at the links written here (and at the LMS) first.
 */
export class ApplyJournal {
  /** Ids confirmed in this apply (created, or found in the LMS): these feed the applied state. */
  readonly learnt: Record<LinkedEntity, Map<string, number>> = {
    people: new Map(),
    courses: new Map(),
    groups: new Map(),
  };
  /** Links in the store the applied state does not have: left by an apply that stopped; unconfirmed. */
  private readonly orphans: Record<LinkedEntity, Map<string, number>>;
  /** Links learnt since the applied state was last persisted. */
  private unsavedLinks: LearntLink[] = [];
  private persistedOnce = false;

  constructor(
    private readonly store: Store,
    private readonly connectionId: string,
    private readonly applied: AppliedState,
  ) {
    this.orphans = {
      people: this.orphansOf('people'),
      courses: this.orphansOf('courses'),
      groups: this.orphansOf('groups'),
    };
  }

  /** The LMS id an earlier, interrupted apply recorded for this SMS id (to check in the LMS before creating). */
  candidate(entity: LinkedEntity, smsId: string): number | undefined {
    return this.orphans[entity].get(smsId);
  }

  /** Placeholder → LMS id: ids learnt in this apply first, then the applied state's links. */
  lookup(): IdLookup {
    return lookupFromLinks(this.applied.links, this.learnt);
  }

  /** Journals one batch: the ids it taught and the errors it left, atomically. */
  record(links: readonly LearntLink[], errors: readonly NewRunError[], runId: number): void {
    if (links.length === 0 && errors.length === 0) return;
    this.store.db.transaction(() => {
      for (const l of links) {
        // An LMS id is linked to one SMS id at a time (the store enforces it).
        if (l.replaces !== undefined) this.store.links.remove(this.connectionId, LINK_ENTITY[l.entity], l.replaces);
        this.store.links.set(this.connectionId, LINK_ENTITY[l.entity], l.smsId, String(l.lmsId));
        this.learnt[l.entity].set(l.smsId, l.lmsId);
        this.unsavedLinks.push(l);
        this.orphans[l.entity].delete(l.smsId);
      }
      for (const e of errors) this.store.runs.addError(runId, e);
    })();
  }

  /**
   * Persists what the operations of `kind` did (every one `done` says succeeded), with the links learnt
   * since the last persist and, the first time, the adopted courses' links. Only the entries that
   * changed are written, so the stored state is always `applyPlanToState(applied, plan, learnt, failed)`
   * for everything persisted so far. `kind` undefined persists only the links and adopted courses.
   */
  persist(plan: UploadPlan, done: (kind: OpKind, key: string) => boolean, kind?: OpKind): void {
    const changes: AppliedChange[] = [];
    for (const l of this.unsavedLinks) changes.push({ section: LINK_SECTION[l.entity], key: l.smsId, value: l.lmsId });
    this.unsavedLinks = [];
    const first = !this.persistedOnce;
    const kinds = new Set<OpKind>(kind !== undefined ? [kind] : []);
    const unlinked: { entity: LinkedEntity; smsId: string }[] = [];
    const identities = new Set((plan.identities ?? []).map((r) => r.key));
    stateEffects(
      this.applied,
      plan,
      this.learnt,
      {
        done,
        kinds,
        memberships: () => membershipsWithAdded(this.applied, plan, done),
      },
      {
        link: () => undefined, // learnt links come from unsavedLinks, adopted ones below
        unlink: (entity, smsId) => {
          // A re-keyed person's old SMS key: gone from the store's links too, so a later create under it
          // never finds this (now someone else's idnumber) user as its own.
          unlinked.push({ entity, smsId });
          changes.push({ section: LINK_SECTION[entity], key: smsId });
        },
        set: (section, key, value) => {
          if (section === 'people' && identities.has(key)) {
            if (first) changes.push({ section, key, value }); // an identity recorded without an LMS write
            return;
          }
          if (
            section === 'courses' &&
            !kinds.has('createCourses') &&
            !kinds.has('updateCourses') &&
            !kinds.has('rekeyCourses')
          ) {
            if (first) changes.push({ section, key, value }); // an adopted course
            return;
          }
          changes.push({ section, key, value });
        },
        remove: (section, key) => changes.push({ section, key }),
      },
    );
    this.store.db.transaction(() => {
      for (const u of unlinked) this.store.links.remove(this.connectionId, LINK_ENTITY[u.entity], u.smsId);
      if (first) {
        for (const a of plan.adoptedCourses) {
          this.store.links.set(this.connectionId, 'course', a.key, String(a.lmsId));
          changes.push({ section: 'links.courses', key: a.key, value: a.lmsId });
        }
      }
      this.store.appliedState.change(this.connectionId, this.applied.version, changes);
    })();
    this.persistedOnce = true;
  }

  /** The applied state as persisted: `applied` with what the plan did (built only when asked for). */
  state(plan: UploadPlan, done: (kind: OpKind, key: string) => boolean): AppliedState {
    return applyPlanToState(this.applied, plan, this.learnt, { failed: notDone(plan, done) });
  }

  private orphansOf(entity: LinkedEntity): Map<string, number> {
    const known = this.applied.links[entity];
    const out = new Map<string, number>();
    for (const [smsId, lmsId] of this.store.links.all(this.connectionId, LINK_ENTITY[entity])) {
      const id = Number(lmsId);
      if (known[smsId] === undefined && Number.isSafeInteger(id) && id > 0) out.set(smsId, id);
    }
    return out;
  }
}

/** The memberships an unenrolment may drop: those applied before, and those this plan added. */
function* membershipsWithAdded(
  applied: AppliedState,
  plan: UploadPlan,
  done: (kind: OpKind, key: string) => boolean,
): Iterable<[string, AppliedMembership]> {
  for (const key in applied.memberships) yield [key, applied.memberships[key]!];
  for (const op of plan.addGroupMembers) if (done('addGroupMembers', op.key)) yield [op.key, op.applied];
}

/** Every operation of the plan not done: the applied state keeps its old value for these. */
function notDone(plan: UploadPlan, done: (kind: OpKind, key: string) => boolean): { kind: OpKind; key: string }[] {
  const out: { kind: OpKind; key: string }[] = [];
  for (const kind of OP_KINDS) for (const op of plan[kind]) if (!done(kind, op.key)) out.push({ kind, key: op.key });
  return out;
}
