import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lmsConfigFile } from '../../test-support/school-config';
import { useTempDirs } from '../../test-support/temp';
import { openStore } from '../store/store';
import { ConfigFileError, exportConfig, importConfig, parseConfig } from './config-file';

const tempDir = useTempDirs();

const file = lmsConfigFile;

describe('name templates in a configuration file', () => {
  it('refuses an import whose template does not parse, naming the field and what is wrong', () => {
    let error: unknown;
    try {
      parseConfig(file({ usernameTemplate: '{first}.{last|upper|shout}' }), 'school.json');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as ConfigFileError).message).toBe(
      'school.json: connections[0].mapping.usernameTemplate: Unknown modifier "shout" in {last}. The modifiers are: lower, upper, fold, alnum, initial, max:N.',
    );
    expect(() => parseConfig(file({ courseShortnameTemplate: '{yearLevel}{code}' }), 'school.json')).toThrow(
      /connections\[0\]\.mapping\.courseShortnameTemplate: Unknown field "\{yearLevel\}"\. The fields are: code, name, smsId, startDate, endDate, year, term, subject\./,
    );
  });

  it('imports and exports valid templates unchanged', () => {
    const store = openStore({ file: join(tempDir(), 'cb.db') });
    try {
      const templates = {
        usernameTemplate: '{first|alnum}.{last|alnum}{n}',
        emailTemplate: '{first|alnum}.{last|alnum}{n}@school.nz',
        courseFullnameTemplate: '{name} {year}',
        courseShortnameTemplate: '{code}-{year}',
      };
      importConfig(store, parseConfig(file(templates), 'school.json'));
      const moodle = exportConfig(store).connections.find((c) => c.id === 'moodle-main');
      expect(moodle).toMatchObject({ mapping: templates });
    } finally {
      store.close();
    }
  });
});
