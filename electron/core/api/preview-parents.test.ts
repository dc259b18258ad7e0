import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiOutput } from '../contract/contract';
import type { LmsConnection, Snapshot } from '../model';
import { MemorySecretStore } from '../secrets';
import { openStore, type Store } from '../store/store';
import { useTempDirs } from '../../test-support/temp';
import { connectionFor, startMoodleSim, syntheticSchool, type MoodleSim } from '../../test-support/upload-harness';
import { ApiService, type ApiResponse } from './api-service';

/**
 * Issue 15 item 5 through the Api: sync:preview with the parents rule in an unsaved mapping shows the
 * first guardians (their account, or the error naming them, and their children) and counts the parent
 * writes; an enabled rule without a roleId is refused as invalid input, at its field.
 */
const tempDir = useTempDirs();
let sim: MoodleSim;
let store: Store;
let api: ApiService;
let connection: LmsConnection;

function school(): Snapshot {
  const s = syntheticSchool(4, 2);
  s.guardians = [
    { smsId: 'P1', givenName: 'Mere', familyName: 'Parata', email: 'mere@home.example', relationship: 'parent' },
    { smsId: 'P2', givenName: 'Hone', familyName: 'Heke', relationship: 'guardian' },
  ];
  s.guardianLinks = [
    { guardianSmsId: 'P1', childSmsId: 'S0' },
    { guardianSmsId: 'P2', childSmsId: 'S1' },
  ];
  return s;
}

beforeEach(async () => {
  sim = await startMoodleSim();
  store = openStore({ file: join(tempDir(), 'cb.db') });
  connection = connectionFor(sim);
  store.connections.save(connection);
  store.snapshot.replace(school(), 'test export');
  const secrets = new MemorySecretStore();
  await secrets.set(connection.id, 'token', sim.token);
  api = new ApiService({ store, secrets, emit: () => undefined });
});
afterEach(async () => {
  store.close();
  await sim.close();
});

type Preview = ApiOutput<'sync:preview'>;

describe('sync:preview and the parents rule', () => {
  it('the saved mapping (rule off) shows no parents; the unsaved rule shows the first guardians', async () => {
    const off = await api.dispatch('sync:preview', { connectionId: connection.id });
    expect(off.ok && (off.result as Preview).parents).toBeUndefined();
    const response: ApiResponse = await api.dispatch('sync:preview', {
      connectionId: connection.id,
      mapping: { ...connection.mapping, parents: { enabled: true, roleId: 9 } },
    });
    if (!response.ok) throw new Error(JSON.stringify(response.error));
    const preview = response.result as Preview;
    expect(preview.parents).toEqual([
      { key: 'P1', name: 'Mere Parata', username: 'mere@home.example', children: ['Given0 Family0'] },
      {
        key: 'P2',
        name: 'Hone Heke',
        children: ['Given1 Family1'],
        error: expect.stringContaining('Guardian Hone Heke (P2) has no email address'),
      },
    ]);
    expect(preview.counts).toMatchObject({ createParentUsers: 1, assignParentRoles: 1, unassignParentRoles: 0 });
    expect(preview.errors).toContainEqual(expect.objectContaining({ recordKind: 'person', recordKey: 'P2' }));
    // Nothing was written to the LMS (the capability probes change nothing).
    expect([...sim.state.users.values()].some((u) => u.username === 'mere@home.example')).toBe(false);
    expect(sim.requestCount('core_role_assign_roles')).toBe(0);
  });

  it("warns when the token's service does not allow the role functions", async () => {
    sim.revokeFunction(sim.token, 'core_role_assign_roles');
    const response = await api.dispatch('sync:preview', {
      connectionId: connection.id,
      mapping: { ...connection.mapping, parents: { enabled: true, roleId: 9 } },
    });
    if (!response.ok) throw new Error(JSON.stringify(response.error));
    const warnings = (response.result as Preview).warnings ?? [];
    expect(warnings).toContainEqual(expect.stringContaining('1 parent link change(s) in this plan would fail'));
    expect(warnings.join(' ')).toContain('core_role_assign_roles');
    expect(warnings.join(' ')).not.toContain('core_role_unassign_roles');
  });

  it('an enabled rule without a roleId is invalid input, at the field', async () => {
    const response = await api.dispatch('sync:preview', {
      connectionId: connection.id,
      mapping: { ...connection.mapping, parents: { enabled: true } },
    });
    expect(response.ok).toBe(false);
    if (response.ok) return;
    expect(response.error).toMatchObject({ code: 'invalid-input' });
    expect(JSON.stringify(response.error)).toContain("parent role's id");
  });
});
