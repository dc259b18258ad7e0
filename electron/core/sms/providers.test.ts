import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../test-support/temp';
import { ApiService } from '../api/api-service';
import { ConfigFileError, importConfig, parseConfig } from '../config/config-file';
import { ConnectionSchema, ProviderListSchema } from '../model';
import { MemorySecretStore } from '../secrets';
import { openStore } from '../store/store';
import { lmsProviderList } from '../lms/providers';
import { smsOptionsProblem, smsProviderList } from './providers';

const tempDir = useTempDirs();

describe('providers:list and the options check at the boundaries', () => {
  it('answers what the contract says providers:list returns', () => {
    const list = ProviderListSchema.parse({ sms: smsProviderList(), lms: lmsProviderList() });
    expect(list.lms).toEqual([
      { id: 'moodle', label: 'Moodle' },
      { id: 'totara', label: 'Totara' },
    ]);
    expect(list.sms.find((p) => p.id === 'kamar')?.label).toBe('KAMAR');
  });

  it('names the connection and the option a save or an import would refuse', () => {
    const connections = [
      ConnectionSchema.parse({
        id: 'moodle',
        kind: 'lms',
        provider: 'moodle',
        name: 'Moodle',
        url: 'https://moodle.example.org',
      }),
      ConnectionSchema.parse({
        id: 'sis',
        kind: 'sms',
        provider: 'oneroster',
        name: 'SIS',
        options: { courseFrom: 'subject' },
      }),
    ];
    expect(smsOptionsProblem(connections)).toMatchObject({ connectionId: 'sis', field: 'options.courseFrom' });
    expect(smsOptionsProblem(connections.slice(0, 1))).toBeUndefined();
  });

  it('is what the Api answers, and what connections:save and config import refuse', async () => {
    const store = openStore({ file: join(tempDir(), 'cb.db') });
    try {
      const api = new ApiService({ store, secrets: new MemorySecretStore(), emit: () => undefined });
      const listed = await api.dispatch('providers:list', {});
      expect(listed.ok && ProviderListSchema.parse(listed.result).sms.map((p) => p.id)).toContain('musac-edge');

      const sis = { id: 'sis', kind: 'sms', provider: 'oneroster', name: 'SIS', options: { courseForm: 'course' } };
      const saved = await api.dispatch('connections:save', sis);
      expect(saved.ok).toBe(false);
      if (saved.ok) return;
      expect(saved.error).toMatchObject({ code: 'invalid-input', field: 'options' });
      expect(saved.error.message).toContain('no option "courseForm"');
      expect(store.connections.list()).toEqual([]);

      const file = JSON.stringify({
        format: 'classbridge-config',
        version: 1,
        connections: [{ ...sis, options: { courseFrom: 'subject' } }],
      });
      expect(() => importConfig(store, parseConfig(file, 'school.json'))).toThrow(ConfigFileError);
      expect(() => importConfig(store, parseConfig(file, 'school.json'))).toThrow(/"sis".*courseFrom/);
      expect(store.connections.list()).toEqual([]);
    } finally {
      store.close();
    }
  });
});
