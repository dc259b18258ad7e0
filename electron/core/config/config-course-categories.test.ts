import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lmsConfigFile } from '../../test-support/school-config';
import { useTempDirs } from '../../test-support/temp';
import { openStore } from '../store/store';
import { exportConfig, importConfig, parseConfig } from './config-file';

const tempDir = useTempDirs();

const file = lmsConfigFile;

describe('course category rules in a configuration file', () => {
  it('refuses an unknown field (listing the fields) and a bad regular expression, naming the rule', () => {
    expect(() =>
      parseConfig(file({ courseCategories: [{ field: 'semester', equals: '1', categoryId: 4 }] }), 'school.json'),
    ).toThrow(
      'school.json: connections[0].mapping.courseCategories[0].field: Unknown course field "semester". The fields are: code, name, smsId, startDate, endDate, year, term, subject.',
    );
    expect(() =>
      parseConfig(
        file({
          courseCategories: [
            { field: 'year', equals: '2026', categoryId: 4 },
            { field: 'code', matches: 'MATH[', categoryId: 5 },
          ],
        }),
        'school.json',
      ),
    ).toThrow(/connections\[0\]\.mapping\.courseCategories\[1\]\.matches: "MATH\[" is not a valid regular expression/);
  });

  it('imports and exports the rules unchanged', () => {
    const store = openStore({ file: join(tempDir(), 'cb.db') });
    try {
      const rules = [
        { field: 'code', matches: '^MATH', categoryId: 4 },
        { field: 'year', equals: '2027', categoryId: 5 },
      ];
      importConfig(store, parseConfig(file({ newCourseCategoryId: 3, courseCategories: rules }), 'school.json'));
      const lms = exportConfig(store).connections.find((c) => c.kind === 'lms');
      expect(lms?.kind === 'lms' ? lms.mapping.courseCategories : undefined).toEqual(rules);
    } finally {
      store.close();
    }
  });
});
