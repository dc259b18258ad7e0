import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiOutput } from '../contract/contract';
import type { LmsConnection } from '../model';
import { MemorySecretStore } from '../secrets';
import { openStore, type Store } from '../store/store';
import { useTempDirs } from '../../test-support/temp';
import { connectionFor, startMoodleSim, syntheticSchool, type MoodleSim } from '../../test-support/upload-harness';
import { ApiService, type ApiResponse } from './api-service';

/**
 * Issue 15: the wizard's mapping step and Settings → Provisioning rules show each rule's result on the
 * school's first real records before saving: sync:preview takes the unsaved mapping in its input and
 * uses it instead of the saved one, validated as connections:save would, writing nothing.
 */
const tempDir = useTempDirs();
let sim: MoodleSim;
let store: Store;
let api: ApiService;
let connection: LmsConnection;

beforeEach(async () => {
  sim = await startMoodleSim();
  store = openStore({ file: join(tempDir(), 'cb.db') });
  connection = connectionFor(sim);
  store.connections.save(connection);
  store.snapshot.replace(syntheticSchool(4, 2), 'test export');
  const secrets = new MemorySecretStore();
  await secrets.set(connection.id, 'token', sim.token);
  api = new ApiService({ store, secrets, emit: () => undefined });
});
afterEach(async () => {
  store.close();
  await sim.close();
});

type Preview = ApiOutput<'sync:preview'>;
const ok = (response: ApiResponse): Preview => {
  if (!response.ok) throw new Error(JSON.stringify(response.error));
  return response.result as Preview;
};

describe('sync:preview with an unsaved mapping', () => {
  it('shows the unsaved rules on the first real records, and leaves the saved connection and the LMS as they were', async () => {
    const siteBefore = [sim.state.users.size, sim.state.courses.size];
    const before = ok(await api.dispatch('sync:preview', { connectionId: connection.id }));
    // The saved mapping has no templates, categories or profile fields.
    expect(before.names).toBeUndefined();
    expect(before.categories).toBeUndefined();

    const preview = ok(
      await api.dispatch('sync:preview', {
        connectionId: connection.id,
        mapping: {
          ...connection.mapping,
          usernameTemplate: '{first}.{last}{n}',
          courseCategories: [{ field: 'code', equals: 'SYN0-2026', categoryId: 7 }],
          signIn: { auth: 'oauth2', emailPassword: false },
          lifecycle: { endedCourses: 'close', closeAfterDays: 0 },
        },
      }),
    );
    // The first people of the snapshot (by SMS id), with the template's usernames.
    expect(preview.names?.filter((n) => n.kind === 'person').map((n) => n.values.username)).toEqual([
      'given0.family0',
      'given1.family1',
      'given2.family2',
    ]);
    expect(preview.categories).toEqual([
      expect.objectContaining({ key: 'C0', categoryId: 7, because: 'rule 1: code equals "SYN0-2026"' }),
      expect.objectContaining({ key: 'C1', categoryId: 1 }),
    ]);
    expect(preview.accounts?.signIn).toContain('oauth2');
    expect(preview.lifecycle).toEqual({ pause: null, closing: [] });
    // The users it would create carry the unsaved usernames too (the plan itself, not only the examples).
    const users = preview.samples.createUsers as { record: { username: string } }[];
    expect(users.map((u) => u.record.username)).toContain('given0.family0');

    // Nothing saved, nothing sent.
    expect(store.connections.get(connection.id)).toEqual(connection);
    // (The dry run's capability probes are write calls Moodle refuses; what matters is what the site holds.)
    expect([sim.state.users.size, sim.state.courses.size]).toEqual(siteBefore);
    const after = ok(await api.dispatch('sync:preview', { connectionId: connection.id }));
    expect(after.names).toBeUndefined();
  });

  it('refuses an invalid unsaved rule with the field it names, as connections:save would', async () => {
    const response = await api.dispatch('sync:preview', {
      connectionId: connection.id,
      mapping: { usernameTemplate: '{first|shout}' },
    });
    expect(response.ok).toBe(false);
    if (response.ok) return;
    expect(response.error.code).toBe('invalid-input');
    expect(response.error.field).toBe('mapping.usernameTemplate');
    expect(response.error.message).toMatch(/shout/);

    const rule = await api.dispatch('sync:preview', {
      connectionId: connection.id,
      mapping: { courseCategories: [{ field: 'semester', equals: 'x', categoryId: 2 }] },
    });
    expect(rule.ok).toBe(false);
    if (!rule.ok) expect(rule.error.field).toBe('mapping.courseCategories.0.field');
  });

  it('names an SMS field the export lacks on each record, with the fields it has', async () => {
    const preview = ok(
      await api.dispatch('sync:preview', {
        connectionId: connection.id,
        mapping: { usernameTemplate: '{first}.{house}' },
      }),
    );
    const first = preview.names?.[0];
    expect(first?.error).toMatch(/house/);
    expect(store.connections.get(connection.id)).toEqual(connection);
  });

  it('still needs a saved LMS connection to preview against', async () => {
    const response = await api.dispatch('sync:preview', { connectionId: 'not-saved', mapping: {} });
    expect(response.ok).toBe(false);
    if (!response.ok) expect(response.error.code).toBe('not-found');
  });
});
