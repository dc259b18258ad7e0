/** The parents planner's rules as a logic unit (the apply over HTTP is sync/apply/parents.test.ts). */
import { describe, expect, it } from 'vitest';
import { MappingSchema, parentRoleKey, type AppliedParents, type Snapshot } from '../../model';
import { emptyAppliedState } from './applied-state';
import { planParents, type ParentsPlanInput } from './parents';

const mapping = (parents: unknown) => MappingSchema.parse({ parents });
const noParents = (): AppliedParents => ({ accounts: new Map(), roles: new Map() });
/** Mere's account as ClassBridge last wrote it. */
const account = {
  guardianSmsId: 'G1',
  lmsId: 500,
  username: 'mere@home.example',
  idnumber: 'classbridge-parent:G1',
  firstname: 'Mere',
  lastname: 'Ngata',
  email: 'Mere@Home.example',
};

function input(overrides: Partial<ParentsPlanInput> = {}): ParentsPlanInput {
  const snapshot: Pick<Snapshot, 'people' | 'guardians' | 'guardianLinks'> = {
    people: [
      { smsId: 'S1', role: 'student', givenName: 'Aroha', familyName: 'Ngata', active: true },
      { smsId: 'S2', role: 'student', givenName: 'Tama', familyName: 'Ngata', active: false },
    ],
    guardians: [
      { smsId: 'G1', givenName: 'Mere', familyName: 'Ngata', email: 'Mere@Home.example', relationship: 'Mother' },
    ],
    guardianLinks: [
      { guardianSmsId: 'G1', childSmsId: 'S1' },
      { guardianSmsId: 'G1', childSmsId: 'S2' },
    ],
  };
  const applied = emptyAppliedState();
  applied.links.people = { S1: 101, S2: 102 };
  return {
    snapshot,
    mapping: mapping({ enabled: true, roleId: 9 }),
    plan: { createUsers: [], rekeyPeople: [] },
    applied,
    parents: noParents(),
    ...overrides,
  };
}

describe('planParents', () => {
  it('is nothing at all with the rule off', () => {
    expect(planParents(input({ mapping: mapping(undefined) }))).toBeUndefined();
    expect(planParents(input({ mapping: mapping({ enabled: false, roleId: 9 }) }))).toBeUndefined();
  });

  it('one account per guardian (email lower-cased, ClassBridge idnumber, sign-in from the mapping), a role per active child', () => {
    const plan = planParents(input())!;
    expect(plan.createParentUsers).toEqual([
      {
        key: 'G1',
        name: 'Mere Ngata',
        record: {
          username: 'mere@home.example',
          email: 'Mere@Home.example',
          firstname: 'Mere',
          lastname: 'Ngata',
          idnumber: 'classbridge-parent:G1',
          auth: 'manual',
          createPassword: true,
        },
      },
    ]);
    // S2 is inactive: no role.
    expect(plan.assignParentRoles).toEqual([
      {
        key: parentRoleKey('G1', 'S1'),
        guardian: 'G1',
        child: 'S1',
        roleId: 9,
        parent: { guardianSmsId: 'G1' },
        childUser: 101,
      },
    ]);
  });

  it('a relationship outside the list does not count; a child created in this upload is linked by placeholder', () => {
    expect(
      planParents(input({ mapping: mapping({ enabled: true, roleId: 9, relationships: ['Father'] }) }))!
        .assignParentRoles,
    ).toEqual([]);
    const base = input();
    base.applied.links.people = {};
    const created = planParents({
      ...base,
      plan: { createUsers: [{ key: 'S1', record: { username: 'aroha' } } as never], rekeyPeople: [] },
    })!;
    expect(created.assignParentRoles[0]?.childUser).toEqual({ smsPersonId: 'S1' });
  });

  it('unassigns a role ClassBridge assigned whose child left, unless the child or guardian is left alone', () => {
    const parents = noParents();
    parents.accounts.set('G1', account);
    parents.roles.set(parentRoleKey('G1', 'S2'), {
      guardianSmsId: 'G1',
      childSmsId: 'S2',
      roleId: 9,
      parentLmsId: 500,
      childLmsId: 102,
    });
    const plan = planParents(input({ parents }))!;
    expect(plan.createParentUsers).toEqual([]);
    expect(plan.assignParentRoles.map((op) => [op.child, op.parent])).toEqual([['S1', 500]]);
    expect(plan.unassignParentRoles).toEqual([
      { key: parentRoleKey('G1', 'S2'), guardian: 'G1', child: 'S2', roleId: 9, parentLmsId: 500, childLmsId: 102 },
    ]);
    expect(plan.activeRoles).toBe(1);
    const marked = planParents(input({ parents, leaveAlone: { people: new Set(['S2']), courses: new Set() } }))!;
    expect(marked.unassignParentRoles).toEqual([]);
    const guardianMarked = planParents(
      input({ parents, leaveAlone: { people: new Set(['G1']), courses: new Set() } }),
    )!;
    expect(guardianMarked.unassignParentRoles).toEqual([]);
    expect(guardianMarked.assignParentRoles).toEqual([]);
  });

  it('a changed name or email updates the account, never its username; an unchanged one is not sent', () => {
    const parents = noParents();
    parents.accounts.set('G1', account);
    expect(planParents(input({ parents }))!.updateParentUsers).toEqual([]);
    const base = input({ parents });
    base.snapshot.guardians = [
      { ...base.snapshot.guardians![0]!, email: 'mere.new@home.example', familyName: 'Parata' },
    ];
    expect(planParents(base)!.updateParentUsers).toEqual([
      {
        key: 'G1',
        name: 'Mere Parata',
        record: { id: 500, firstname: 'Mere', lastname: 'Parata', email: 'mere.new@home.example' },
      },
    ]);
    expect(planParents(base)!.createParentUsers).toEqual([]);
  });

  it('a guardian without an email, or whose email another account has as username, is a planning error naming them', () => {
    const base = input();
    base.snapshot.guardians = [
      { smsId: 'G1', givenName: 'Mere', familyName: 'Ngata' },
      { smsId: 'G2', givenName: 'Hone', familyName: 'Heke', email: 'aroha' },
    ];
    base.snapshot.guardianLinks!.push({ guardianSmsId: 'G2', childSmsId: 'S1' });
    base.applied.people = { S1: { username: 'aroha' } as never };
    const plan = planParents(base)!;
    expect(plan.createParentUsers).toEqual([]);
    expect(plan.assignParentRoles).toEqual([]);
    expect(plan.errors.map((e) => [e.recordKey, e.message])).toEqual([
      ['G1', expect.stringContaining('Guardian Mere Ngata (G1) has no email address')],
      ['G2', expect.stringContaining('is already another account')],
    ]);
  });

  it('plans 60,000 students with a guardian each in linear time', () => {
    const n = 60_000;
    const base = input();
    base.snapshot.people = [];
    base.snapshot.guardians = [];
    base.snapshot.guardianLinks = [];
    for (let i = 0; i < n; i++) {
      base.snapshot.people.push({ smsId: `S${i}`, role: 'student', givenName: 'A', familyName: `${i}`, active: true });
      base.snapshot.guardians.push({ smsId: `G${i}`, givenName: 'M', familyName: `${i}`, email: `m${i}@home.example` });
      base.snapshot.guardianLinks.push({ guardianSmsId: `G${i}`, childSmsId: `S${i}` });
      base.applied.links.people[`S${i}`] = i + 1;
    }
    const started = performance.now();
    const plan = planParents(base)!;
    expect(plan.assignParentRoles).toHaveLength(n);
    expect(performance.now() - started).toBeLessThan(5000); // about 0.6 s here; quadratic would take minutes
  });
});
