import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../test-support/cli';

// The built CLI carries no test code: `classbridge demo` loads the Moodle simulator and the sample
// school from their own entry (out/host/demo-kit.mjs), built beside cli.mjs and packaged with it.
const OUT = join(REPO_ROOT, 'out', 'host');
const built = (name: string): string => {
  const file = join(OUT, name);
  if (!existsSync(file)) throw new Error(`${file} is not built yet: run npm run build`);
  return readFileSync(file, 'utf8');
};
/** esbuild marks each bundled module with its source path in a comment line. */
const bundledFrom = (code: string, folder: string): string[] =>
  [...code.matchAll(new RegExp(`^// (${folder}[^\\n]*)$`, 'gm'))].map((m) => m[1] ?? '');
/** A message only the simulator has (adapters/testing/moodle-sim/index.ts). */
const SIMULATOR_ONLY = 'moodle-sim: no such token';

describe('the CLI bundle and the demo kit', () => {
  it('cli.mjs bundles nothing from adapters/testing; demo-kit.mjs has the simulator and the school', () => {
    const cli = built('cli.mjs');
    expect(bundledFrom(cli, 'adapters/testing/')).toEqual([]);
    expect(cli).not.toContain(SIMULATOR_ONLY);
    expect(cli).toContain('./demo-kit.mjs');

    const kit = built('demo-kit.mjs');
    expect(kit).toContain(SIMULATOR_ONLY);
    expect(bundledFrom(kit, 'adapters/testing/moodle-sim/').length).toBeGreaterThan(0);
    expect(bundledFrom(kit, 'adapters/testing/sms-fixtures/').length).toBeGreaterThan(0);
  });

  it('the built kit exports what the demo calls', async () => {
    const kit = (await import(pathToFileURL(join(OUT, 'demo-kit.mjs')).href)) as Record<string, unknown>;
    for (const name of [
      'defaultSeed',
      'gradeItem',
      'gradeStudent',
      'seedCourse',
      'startMoodleSim',
      'studentsByCourse',
      'generateSchool',
      'oneRosterFiles',
      'seededRandom',
      'zipBytes',
    ])
      expect(typeof kit[name], name).toBe('function');
  });

  it('is packaged with the CLI', () => {
    const builder = readFileSync(join(REPO_ROOT, 'electron-builder.yml'), 'utf8');
    expect(builder).toMatch(/^\s+- out\/host\/\*\*$/m);
  });
});
