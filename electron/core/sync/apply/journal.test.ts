import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import { LmsConnectionSchema } from '../../model';
import { openStore, type Store } from '../../store/store';
import {
  applyPlanToState,
  emptyAppliedState,
  OP_KINDS,
  planUpload,
  type AppliedState,
  type OpKind,
  type UploadPlan,
} from '../plan';
import { CONNECTION, mapping, openCourses, school } from '../../../test-support/plan-fixtures';
import { readAppliedState } from '../plan/applied-state';
import { ApplyJournal, type LearntLink } from './journal';

const tempDir = useTempDirs();
let next = 7000; // LMS ids handed out by the pretend LMS

function store(): Store {
  const s = openStore({ file: join(tempDir(), 'cb.db') });
  s.connections.save(
    LmsConnectionSchema.parse({ id: CONNECTION, kind: 'lms', provider: 'moodle', name: 'M', url: 'https://m.example' }),
  );
  return s;
}

/** Applies `plan` through a journal as apply-plan does (persist after each kind), failing `failed`. */
function journalApply(s: Store, applied: AppliedState, plan: UploadPlan, failed: { kind: OpKind; key: string }[]) {
  const journal = new ApplyJournal(s, CONNECTION, applied);
  const isFailed = (kind: OpKind, key: string) => failed.some((f) => f.kind === kind && f.key === key);
  const done = (kind: OpKind, key: string) => !isFailed(kind, key);
  for (const kind of OP_KINDS) {
    if (plan[kind].length === 0) continue;
    const entity = { createUsers: 'people', createCourses: 'courses', createGroups: 'groups' }[kind as string] as
      LearntLink['entity'] | undefined;
    if (entity) {
      const links = plan[kind]
        .filter((op) => done(kind, op.key))
        .map((op) => ({ entity, smsId: op.key, lmsId: next++ }));
      journal.record(links, [], 0);
    }
    journal.persist(plan, done, kind);
  }
  return { journal, expected: applyPlanToState(applied, plan, journal.learnt, { failed }) };
}

describe('ApplyJournal.persist', () => {
  it('writes only the changes, and the stored state is exactly applyPlanToState of everything done', () => {
    const s = store();
    const input = {
      connectionId: CONNECTION,
      snapshot: school(),
      mapping: mapping({ removalPolicy: 'unenrol' }),
      lmsCourses: openCourses(),
      options: { allowCourseCreation: true },
    };
    const first = planUpload({ ...input, applied: emptyAppliedState() });
    const one = journalApply(s, emptyAppliedState(), first, [
      { kind: 'createUsers', key: 'S3' },
      { kind: 'addGroupMembers', key: first.addGroupMembers[0]!.key },
    ]);
    expect(readAppliedState(s, CONNECTION)).toEqual(one.expected);
    expect(Object.keys(one.expected.memberships).length).toBeGreaterThan(0);

    // S1 leaves Maths (an unenrolment, which drops the membership too); S3 is created this time.
    const snapshot = school();
    snapshot.enrolments = snapshot.enrolments.filter((e) => !(e.personSmsId === 'S1' && e.courseSmsId === 'C-MATH'));
    const second = planUpload({ ...input, snapshot, applied: one.expected });
    expect(second.unenrol.map((op) => op.key)).toContain('["S1","C-MATH"]');
    const two = journalApply(s, one.expected, second, []);
    const stored = readAppliedState(s, CONNECTION);
    expect(stored).toEqual(two.expected);
    expect(stored.enrolments['["S1","C-MATH"]']).toBeUndefined();
    expect(stored.memberships['["G-MATH-A","S1"]']).toBeUndefined();
    expect(stored.people.S3).toBeDefined();
    s.close();
  });
});

describe('readAppliedState', () => {
  it('reads back a written state, and refuses a damaged row, a damaged section or another version', () => {
    const s = store();
    const state = emptyAppliedState();
    state.people.S1 = {
      role: 'student',
      username: 'a',
      firstname: 'A',
      lastname: 'B',
      email: 'a@b',
      idnumber: 'S1',
      suspended: false,
    };
    state.enrolments['["S1","C1"]'] = {
      person: 'S1',
      course: 'C1',
      role: 'student',
      timeStart: 0,
      timeEnd: 0,
      suspended: false,
    };
    state.links.people.S1 = 12;
    s.appliedState.write(CONNECTION, state);
    expect(readAppliedState(s, CONNECTION)).toEqual(state);
    expect(s.appliedState.read(CONNECTION)).toEqual(state);

    s.db
      .prepare("UPDATE applied_entries SET value = json_set(value, '$.suspended', 'no') WHERE section = 'enrolments'")
      .run();
    expect(() => readAppliedState(s, CONNECTION)).toThrow(/cannot be read \(enrolments .*: invalid suspended\)/);
    s.appliedState.write(CONNECTION, state);
    s.db.prepare("UPDATE applied_entries SET value = '-1' WHERE section = 'links.people'").run();
    expect(() => readAppliedState(s, CONNECTION)).toThrow(/cannot be read \(links\.people S1/);
    s.db.prepare("UPDATE applied_entries SET value = '{' WHERE section = 'links.people'").run();
    expect(() => readAppliedState(s, CONNECTION)).toThrow(/is not JSON/);
    s.appliedState.write(CONNECTION, state);
    s.db.prepare("UPDATE applied_state SET state = json_object('version', 2)").run();
    expect(() => readAppliedState(s, CONNECTION)).toThrow(/cannot be read \(version 2 is not 1\)/);
    s.close();
  });
});
