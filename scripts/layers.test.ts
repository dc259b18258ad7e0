import { ESLint } from 'eslint';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../electron/test-support/cli';

// The layer table in eslint.config.js, run through ESLint itself on probe files: an import against
// the table fails lint with the table's message, an allowed one passes, and every shipped file is in
// a layer (so a new folder cannot slip past the table unnoticed).
const eslint = new ESLint({ cwd: REPO_ROOT });
const RULE = '@typescript-eslint/no-restricted-imports';

/** The layer messages ESLint gives `code` as if it were the file at `filePath` (which need not exist). */
async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: join(REPO_ROOT, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('layers enforced by lint', () => {
  it.each([
    // Core parts never import the engine or a host, at any folder depth.
    ['electron/core/store/probe.ts', "import { createEngine } from '../engine/engine';", 'store may import only'],
    ['electron/core/store/repositories/probe.ts', "export * from '../../engine/engine';", 'Not engine'],
    ['electron/core/api/probe.ts', "import { serveCommand } from '../../host/commands/serve';", 'Not host'],
    // The planner is pure: no store.
    ['electron/core/sync/plan/probe.ts', "import type { Store } from '../../store/store';", 'plan may import only'],
    // The model is the bottom: nothing above it.
    ['electron/core/model/probe.ts', "import { LmsError } from '../../../adapters/contract';", 'model may import only'],
    // Adapters: never the engine, and one provider never another.
    ['adapters/lms/moodle/probe.ts', "import { openStore } from '../../../electron/core/store/store';", 'Not store'],
    ['adapters/sms/csv/probe.ts', "import { createKamarAdapter } from '../kamar';", 'csv may import only'],
    // The renderer: the Api contract and the model only.
    ['renderer/src/probe.ts', "import { handlers } from '../../electron/core/api/handlers';", 'renderer may import'],
    ['renderer/src/pages/setup/probe.ts', "import { RESULTS_FILE } from '../../../../adapters/sms/csv';", 'Not csv'],
    // Test code stays out of shipped code; the demo takes only types from the test kits.
    [
      'electron/host/commands/probe.ts',
      "import { startMoodleSim } from '../../../adapters/testing/moodle-sim';",
      'Not test kits',
    ],
    [
      'electron/core/sync/apply/probe.ts',
      "import { FakeClock } from '../../../test-support/fake-clock';",
      'Not test support',
    ],
    ['adapters/sms/kamar/probe.ts', "import { post } from '../../testing/sms-support/kamar';", 'Not test kits'],
    // Electron: main, preload and the shell only.
    ['electron/core/engine/probe.ts', "import { app } from 'electron';", 'Not electron'],
  ])('%s: %s fails', async (file, code, message) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  it.each([
    ['electron/core/sync/apply/probe.ts', "import { planUpload } from '../plan';"],
    [
      'electron/core/sync/apply/probe.ts',
      "import { RECORDS_PER_APPLY_CALL } from '../../../../adapters/lms/moodle/batch-sizes';",
    ],
    ['electron/core/engine/probe.ts', "import { openStore } from '../store/store';"],
    ['adapters/lms/moodle/probe.ts', "import type { Snapshot } from '../../../electron/core/model';"],
    ['renderer/src/probe.ts', "import type { Status } from '../../electron/core/contract/contract';"],
    ['electron/host/commands/probe.ts', "import type { MoodleSim } from '../../../adapters/testing/moodle-sim';"],
    ['electron/shell/probe.ts', "import { app } from 'electron';"],
    // Tests may import anything but electron.
    ['electron/core/sync/apply/probe.test.ts', "import { FakeClock } from '../../../test-support/fake-clock';"],
    ['electron/core/store/probe.test.ts', "import { createEngine } from '../engine/engine';"],
  ])('%s: %s passes', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });

  it('puts every shipped file in a layer', async () => {
    const shipped: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'node_modules' && entry.name !== 'test-support') walk(path);
        } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) shipped.push(path);
      }
    };
    for (const top of ['electron', 'adapters', 'renderer/src']) walk(join(REPO_ROOT, top));
    expect(shipped.length).toBeGreaterThan(200);
    const outside: string[] = [];
    for (const file of shipped) {
      const config = (await eslint.calculateConfigForFile(file)) as { rules?: Record<string, unknown> };
      const rule = config.rules?.[RULE] as [unknown, { patterns?: unknown[] }?] | undefined;
      if (!rule?.[1]?.patterns?.length) outside.push(relative(REPO_ROOT, file));
    }
    expect(outside).toEqual([]);
  });
});
