import type { LinkEntity } from '../../model';
import type { Store } from '../../store/store';
import {
  applyPlanToState,
  lookupFromLinks,
  type AppliedLinks,
  type AppliedState,
  type IdLookup,
  type OpKind,
  type UploadPlan,
} from '../plan';
import type { NewRunError } from '../../store/repositories/runs-repository';

export type LinkedEntity = keyof AppliedLinks;

const LINK_ENTITY: Record<LinkedEntity, LinkEntity> = { people: 'person', courses: 'course', groups: 'group' };

export interface LearntLink {
  entity: LinkedEntity;
  smsId: string;
  lmsId: number;
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
        this.store.links.set(this.connectionId, LINK_ENTITY[l.entity], l.smsId, String(l.lmsId));
        this.learnt[l.entity].set(l.smsId, l.lmsId);
        this.orphans[l.entity].delete(l.smsId);
      }
      for (const e of errors) this.store.runs.addError(runId, e);
    })();
  }

  /**
   * The applied state with every operation not in `failed` counted as done, persisted together with
   * the links it holds (adopted courses have no batch of their own, so their links are written here).
   */
  persist(plan: UploadPlan, failed: Iterable<{ kind: OpKind; key: string }>): AppliedState {
    const state = applyPlanToState(this.applied, plan, this.learnt, { failed });
    this.store.db.transaction(() => {
      for (const a of plan.adoptedCourses) this.store.links.set(this.connectionId, 'course', a.key, String(a.lmsId));
      this.store.appliedState.write(this.connectionId, state);
    })();
    return state;
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
