import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test-support/cli';
import { useTempDirs } from '../../test-support/temp';
import { openStore, type Store } from '../store/store';
import { ConfigFileError, exportConfig, importConfig, parseConfig } from './config-file';

const tempDir = useTempDirs();
let store: Store;
beforeEach(() => {
  store = openStore({ file: join(tempDir(), 'cb.db') });
  return () => store.close();
});

const example = {
  format: 'classbridge-config',
  version: 1,
  settings: {
    timeZone: 'Pacific/Auckland',
    schedules: { results: { kind: 'window', days: ['fri'], start: '22:00', end: '24:00' } },
  },
  connections: [
    { id: 'kamar', kind: 'sms', provider: 'kamar', name: 'KAMAR' },
    {
      id: 'moodle-main',
      kind: 'lms',
      provider: 'moodle',
      name: 'Moodle',
      url: 'https://moodle.example.org',
      mapping: { removalPolicy: 'unenrol' },
    },
  ],
};

function parseError(value: unknown): ConfigFileError {
  try {
    parseConfig(typeof value === 'string' ? value : JSON.stringify(value), 'school.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigFileError);
    return err as ConfigFileError;
  }
  throw new Error('expected the file to be refused');
}

describe('configuration files', () => {
  it('round-trips: import then export gives every setting back, with defaults filled in', () => {
    const report = importConfig(store, parseConfig(JSON.stringify(example), 'school.json'));
    expect(report.added).toEqual(['kamar', 'moodle-main']);
    const exported = exportConfig(store);
    expect(exported.settings.timeZone).toBe('Pacific/Auckland');
    expect(exported.settings.schedules.results).toEqual(example.settings.schedules.results);
    const moodle = exported.connections.find((c) => c.id === 'moodle-main');
    expect(moodle).toMatchObject({ mapping: { removalPolicy: 'unenrol', usernameFrom: 'sms-username' } });
    // Importing the export again changes nothing.
    const again = importConfig(store, parseConfig(JSON.stringify(exported), 'export.json'));
    expect(again.updated).toEqual(['kamar', 'moodle-main']);
    expect(exportConfig(store)).toEqual(exported);
  });

  it('refuses a file with a secret in it, naming where', () => {
    const withToken = structuredClone(example) as { connections: Record<string, unknown>[] };
    withToken.connections[1] = { ...withToken.connections[1], token: 'abc123' };
    const err = parseError(withToken);
    expect(err.field).toBe('connections[1].token');
    expect(err.message).toContain('never hold secrets');
    expect(err.message).not.toContain('abc123');
  });

  it('names the bad field, file and expected value', () => {
    expect(parseError({ ...example, format: 'other' }).message).toMatch(
      /school\.json: format: Expected "format": "classbridge-config"/,
    );
    const badUrl = structuredClone(example);
    (badUrl.connections[1] as { url: string }).url = 'not a url';
    expect(parseError(badUrl).message).toMatch(/^school\.json: connections\[1\]\.url: Enter the site address/);
    expect(parseError('{ nope').message).toMatch(/school\.json is not valid JSON/);
    expect(parseError({ ...example, connections: [example.connections[1], example.connections[1]] }).message).toMatch(
      /Duplicate id/,
    );
    expect(parseError({ ...example, surprise: true }).message).toMatch(/surprise/);
  });

  it('applies nothing when the file conflicts with the database', () => {
    importConfig(
      store,
      parseConfig(
        JSON.stringify({
          format: 'classbridge-config',
          version: 1,
          connections: [{ id: 'vettrak', kind: 'sms', provider: 'vettrak', name: 'VETtrak' }],
        }),
        'a.json',
      ),
    );
    expect(() => importConfig(store, parseConfig(JSON.stringify(example), 'school.json'))).toThrow(
      /already configured/,
    );
    expect(store.connections.list().map((c) => c.id)).toEqual(['vettrak']);
    expect(store.settings.get().timeZone).toBe('UTC');
  });

  it('reads an old file that schedules the three upload parts as one upload schedule, and writes the new shape', () => {
    const every = (minutes: number) => ({ kind: 'interval', minutes });
    const old = {
      ...example,
      settings: {
        ...example.settings,
        // What the wizard wrote before the upload was one part: the same schedule three times.
        schedules: { profiles: every(20), courses: every(20), enrolments: every(20), results: every(60) },
      },
      connections: example.connections.map((c) =>
        c.kind === 'lms' ? { ...c, schedules: { profiles: every(90), enrolments: every(15) } } : c,
      ),
    };
    importConfig(store, parseConfig(JSON.stringify(old), 'old-school.json'));
    const exported = exportConfig(store);
    // The enrolments schedule is the one the engine ran for the whole upload; profiles and courses never ran.
    expect(exported.settings.schedules).toEqual({ upload: every(20), results: every(60) });
    expect(exported.connections.find((c) => c.id === 'moodle-main')).toMatchObject({
      schedules: { upload: every(15) },
    });
    expect(JSON.stringify(exported)).not.toMatch(/"(profiles|courses|enrolments)":/);
    // A part that is not a part at all is still refused, naming it.
    const bad = parseError({ ...example, settings: { schedules: { uploads: every(20) } } });
    expect(bad.message).toMatch(/schedules/);
  });

  it('accepts the full example in docs/configuration.md, which sets every field', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/configuration.md'), 'utf8');
    const example = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1] ?? '';
    const config = parseConfig(example, 'docs/configuration.md');
    importConfig(store, config);
    expect(exportConfig(store)).toEqual(JSON.parse(example));
  });
});
