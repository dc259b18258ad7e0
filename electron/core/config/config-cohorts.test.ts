import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lmsConfigFile } from '../../test-support/school-config';
import { useTempDirs } from '../../test-support/temp';
import { openStore } from '../store/store';
import { exportConfig, importConfig, parseConfig } from './config-file';

const tempDir = useTempDirs();

describe('cohort rules in a configuration file', () => {
  it('refuses a name template that does not parse, naming the rule and the reason', () => {
    const cohorts = { rules: [{ from: 'house', name: '{value House' }] };
    expect(() => parseConfig(lmsConfigFile({ cohorts }), 'school.json')).toThrow(
      /school\.json: connections\[0\]\.mapping\.cohorts\.rules\[0\]\.name: "\{" at position 1 is not closed/,
    );
  });

  it('imports and exports the rules with their defaults filled in', () => {
    const store = openStore({ file: join(tempDir(), 'cb.db') });
    try {
      const cohorts = { rules: [{ from: 'yearLevel', name: 'Year {value}' }, { from: 'class' }], categoryId: 4 };
      importConfig(store, parseConfig(lmsConfigFile({ cohorts }), 'school.json'));
      const lms = exportConfig(store).connections.find((c) => c.kind === 'lms');
      expect(lms?.kind === 'lms' ? lms.mapping.cohorts : undefined).toEqual({
        rules: [
          { from: 'yearLevel', name: 'Year {value}', roles: ['student'] },
          { from: 'class', name: '{value}', roles: ['student'] },
        ],
        categoryId: 4,
      });
    } finally {
      store.close();
    }
  });
});
