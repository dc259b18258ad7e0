import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lmsConfigFile } from '../../test-support/school-config';
import { useTempDirs } from '../../test-support/temp';
import { openStore } from '../store/store';
import { exportConfig, importConfig, parseConfig } from './config-file';

const tempDir = useTempDirs();

describe('the parents rule in a configuration file', () => {
  it('refuses an enabled rule without a roleId, naming the field and where to find the id', () => {
    expect(() => parseConfig(lmsConfigFile({ parents: { enabled: true } }), 'school.json')).toThrow(
      /school\.json: connections\[0\]\.mapping\.parents\.roleId: Give the parent role's id/,
    );
  });

  it('imports and exports the rule unchanged', () => {
    const store = openStore({ file: join(tempDir(), 'cb.db') });
    try {
      const parents = { enabled: true, roleId: 9, relationships: ['parent', 'Mother'] };
      importConfig(store, parseConfig(lmsConfigFile({ parents }), 'school.json'));
      const lms = exportConfig(store).connections.find((c) => c.kind === 'lms');
      expect(lms?.kind === 'lms' ? lms.mapping.parents : undefined).toEqual(parents);
    } finally {
      store.close();
    }
  });
});
