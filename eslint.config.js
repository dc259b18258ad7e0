// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { readdirSync } from 'node:fs';
import { posix } from 'node:path';
import tseslint from 'typescript-eslint';

// ─── Layers ─────────────────────────────────────────────────────────────────────────────────────
// Where code may run and what it is for decides what it may import (VS Code's code-layering, in
// folders): model ← contracts ← adapters ← core parts ← engine ← hosts and shell, and the renderer sees
// only the Api contract and the model. Each layer lists what it may import; everything else in this
// table is refused by `no-restricted-imports` patterns generated per folder depth below. The table is
// the "may import" column of docs/architecture.md; `scripts/layers.test.ts` proves that an
// import against it fails lint and that every shipped file belongs to a layer.
//
// Roots: `dir/` is a folder and everything under it (except a deeper root), `dir/*` only the files
// directly in it, `file.ts` one file. `electron` is the Electron module itself. Test files
// (`*.test.ts`) and the test-only folders may import anything but `electron`.

const SMS_PROVIDERS = ['avetmiss', 'csv', 'kamar', 'oneroster', 'vet-apis'];
const ADAPTERS = ['adapter contract', 'sms adapter kit', 'moodle', ...SMS_PROVIDERS, 'lms registry', 'sms registry'];

/** @type {{ name: string, roots: string[], mayImport: string[], mayImportTypes?: string[], test?: boolean }[]} */
export const LAYERS = [
  { name: 'electron', roots: [], mayImport: [] },
  // The bottom: canonical entities and both contracts.
  { name: 'model', roots: ['electron/core/model/'], mayImport: [] },
  { name: 'adapter contract', roots: ['adapters/*'], mayImport: ['model'] },
  { name: 'api contract', roots: ['electron/core/contract/'], mayImport: ['model'] },
  // Adapters: each provider on its own (providers never import each other), then the registries.
  {
    name: 'sms adapter kit',
    roots: ['adapters/sms/options.ts', 'adapters/sms/results-writing.ts', 'adapters/sms/text-encoding/'],
    mayImport: ['adapter contract', 'model'],
  },
  { name: 'moodle', roots: ['adapters/lms/moodle/'], mayImport: ['adapter contract', 'model'] },
  ...SMS_PROVIDERS.map((p) => ({
    name: p,
    roots: [`adapters/sms/${p}/`],
    mayImport: ['adapter contract', 'sms adapter kit', 'model'],
  })),
  { name: 'lms registry', roots: ['adapters/lms/*'], mayImport: ['moodle', 'adapter contract', 'model'] },
  {
    name: 'sms registry',
    roots: ['adapters/sms/registry.ts'],
    mayImport: [...SMS_PROVIDERS, 'sms adapter kit', 'adapter contract', 'model'],
  },
  // Core parts. They import each other where the table says so; none imports the engine or a host.
  { name: 'logging', roots: ['electron/core/logging/'], mayImport: [] },
  { name: 'paths', roots: ['electron/core/paths/'], mayImport: [] },
  // kamar: the store implements the KAMAR receiver's spool (adapters/sms/kamar/spool.ts).
  { name: 'store', roots: ['electron/core/store/'], mayImport: ['model', 'adapter contract', 'kamar'] },
  // store: the keychain's entries are keyed by the data folder's id, kept in the database.
  { name: 'secrets', roots: ['electron/core/secrets/'], mayImport: ['store'] },
  { name: 'schedule', roots: ['electron/core/schedule/'], mayImport: ['model', 'adapter contract'] },
  { name: 'connections', roots: ['electron/core/connections/'], mayImport: ['model'] },
  { name: 'config', roots: ['electron/core/config/'], mayImport: ['model', 'store', 'connections', 'sms'] },
  {
    name: 'lms',
    roots: ['electron/core/lms/'],
    mayImport: ['lms registry', 'adapter contract', 'api contract', 'model'],
  },
  {
    name: 'sms',
    roots: ['electron/core/sms/'],
    mayImport: ['sms registry', 'kamar', 'adapter contract', 'model', 'store', 'secrets'],
  },
  // Email/webhook alerts, the late source, the digest; the one transition policy the shell's notifications share.
  {
    name: 'alerts',
    roots: ['electron/core/alerts/'],
    mayImport: ['api contract', 'model', 'store', 'secrets', 'schedule', 'logging'],
  },
  { name: 'plan', roots: ['electron/core/sync/plan/'], mayImport: ['model', 'adapter contract'] },
  { name: 'upload', roots: ['electron/core/sync/upload/'], mayImport: ['plan', 'store', 'model'] },
  // moodle: the records per adapter call (adapters/lms/moodle/batch-sizes.ts); upload: no-export.ts.
  {
    name: 'apply',
    roots: ['electron/core/sync/apply/'],
    mayImport: ['plan', 'upload', 'store', 'model', 'adapter contract', 'moodle'],
  },
  {
    name: 'reconcile',
    roots: ['electron/core/sync/reconcile/'],
    mayImport: ['apply', 'plan', 'store', 'model', 'adapter contract'],
  },
  {
    name: 'course tracking',
    roots: ['electron/core/sync/course-tracking/'],
    mayImport: ['store', 'model', 'adapter contract'],
  },
  {
    name: 'results',
    roots: ['electron/core/sync/results/'],
    mayImport: ['course tracking', 'store', 'model', 'adapter contract', 'sms registry', 'csv'],
  },
  {
    name: 'sync service',
    // The scheduler's own helpers: the rate of a running part, and the wait for an LMS token.
    roots: ['electron/core/sync/*', 'electron/core/sync/progress/', 'electron/core/sync/token-gate/'],
    mayImport: [
      ...['plan', 'upload', 'apply', 'reconcile', 'course tracking', 'results'],
      ...['schedule', 'lms', 'sms', 'secrets', 'store', 'model', 'adapter contract'],
    ],
  },
  {
    name: 'api',
    roots: ['electron/core/api/'],
    mayImport: [
      ...['api contract', 'model', 'store', 'secrets', 'schedule', 'connections', 'lms', 'sms', 'logging'],
      ...['plan', 'upload', 'apply', 'sync service', 'alerts'],
    ],
  },
  {
    name: 'engine',
    roots: ['electron/core/engine/'],
    mayImport: [
      ...['api', 'api contract', 'model', 'store', 'secrets', 'schedule', 'connections', 'config'],
      ...['lms', 'sms', 'logging', 'paths', 'plan', 'upload', 'apply', 'reconcile', 'course tracking'],
      ...['results', 'sync service', 'alerts'],
      ...['adapter contract'],
    ],
  },
  // Hosts and the shell: the engine and what it answers in; the demo takes only types from the test
  // kits (their code comes in through out/host/demo-kit.mjs at run time).
  {
    name: 'host',
    roots: ['electron/host/'],
    mayImport: [
      ...['engine', 'api', 'api contract', 'model', 'store', 'secrets', 'config', 'connections'],
      ...['lms', 'sms', 'logging', 'paths', 'sync service'],
      ...['adapter contract', 'lms registry', 'sms registry'],
    ],
    mayImportTypes: ['test kits'],
  },
  {
    name: 'shell',
    roots: ['electron/shell/'],
    mayImport: ['electron', 'engine', 'api', 'api contract', 'model', 'logging', 'alerts'],
  },
  { name: 'main', roots: ['electron/main.ts'], mayImport: ['electron', 'engine', 'logging', 'shell'] },
  { name: 'preload', roots: ['electron/preload.ts'], mayImport: ['electron', 'api contract'] },
  { name: 'renderer', roots: ['renderer/'], mayImport: ['api contract', 'model'] },
  // Test-only code: shipped code never imports it (the demo's kit is loaded at run time).
  { name: 'test kits', roots: ['adapters/testing/'], mayImport: [...ADAPTERS, 'model'] },
  { name: 'test support', roots: ['electron/test-support/'], mayImport: [], test: true },
];

/** Files that are tests wherever they are: they may import any layer (not electron, but for the shell's). */
export const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx'];
/** Deepest folder below a root that the generated patterns cover (the layers test checks the tree). */
export const MAX_DEPTH = 6;

const escape = (/** @type {string} */ s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const folderOf = (/** @type {string} */ root) =>
  root.endsWith('/') ? root.slice(0, -1) : root.endsWith('/*') ? root.slice(0, -2) : posix.dirname(root);

/** Subfolders of a `dir/*` root: imports into them are not imports of the root's own files. */
function subfolders(/** @type {string} */ dir) {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** The path a root's imports name: its folder, or its file without the extension. */
const targetOf = (/** @type {string} */ root) => (root.endsWith('.ts') ? root.slice(0, -3) : folderOf(root));

/** A regex matching the import specifiers, written `depth` folders below `fromDir`, that reach `root`. */
function specifierRegex(/** @type {string} */ fromDir, /** @type {number} */ depth, /** @type {string} */ root) {
  const base = posix.relative(fromDir, targetOf(root));
  const rel =
    depth > 0 ? posix.join('../'.repeat(depth), base) : base === '' ? '.' : base.startsWith('..') ? base : `./${base}`;
  if (root.endsWith('/')) return `^${escape(rel)}(/|$)`;
  if (root.endsWith('/*')) {
    const skip = subfolders(folderOf(root));
    return `^${escape(rel)}/${skip.length ? `(?!(${skip.map(escape).join('|')})(/|$))` : ''}[^/]+$`;
  }
  return `^${escape(rel)}(\\.[jt]sx?)?$`;
}

/** The importing files of a root at one folder depth below it. */
function filesAt(/** @type {string} */ root, /** @type {number} */ depth) {
  if (root.endsWith('/')) return `${root}${'*/'.repeat(depth)}*.{ts,tsx,mts}`;
  if (root.endsWith('/*')) return `${root.slice(0, -1)}*.{ts,tsx,mts}`;
  return root;
}

function layerBlocks() {
  const byName = new Map(LAYERS.map((l) => [l.name, l]));
  for (const l of LAYERS)
    for (const m of [...l.mayImport, ...(l.mayImportTypes ?? [])])
      if (!byName.has(m)) throw new Error(`eslint.config.js: layer "${l.name}" names unknown layer "${m}"`);
  /** @type {import('eslint').Linter.Config[]} */
  const blocks = [];
  for (const layer of LAYERS) {
    if (layer.test) continue;
    const allowed = new Set([layer.name, ...layer.mayImport]);
    const typesOnly = new Set(layer.mayImportTypes ?? []);
    const message = `${layer.name} may import only ${layer.mayImport.join(', ') || 'packages'} (the layer table in eslint.config.js, docs/architecture.md).`;
    for (const root of layer.roots) {
      const depths = root.endsWith('/') ? MAX_DEPTH + 1 : 1;
      for (let depth = 0; depth < depths; depth++) {
        const fromDir = folderOf(root);
        const patterns = LAYERS.filter((t) => !allowed.has(t.name) && t.name !== 'electron').flatMap((target) =>
          target.roots.map((r) => ({
            regex: specifierRegex(fromDir, depth, r),
            caseSensitive: true,
            ...(typesOnly.has(target.name) ? { allowTypeImports: true } : {}),
            message: `${message} Not ${target.name} (${r}).`,
          })),
        );
        const paths = allowed.has('electron') ? [] : [{ name: 'electron', message: `${message} Not electron.` }];
        blocks.push({
          files: [filesAt(root, depth)],
          ...(layer.name === 'renderer' ? {} : { ignores: TEST_FILES }),
          rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] },
        });
      }
    }
  }
  // A deeper root overrides the folder it sits in.
  return blocks.sort((a, b) => String(a.files?.[0]).split('/').length - String(b.files?.[0]).split('/').length);
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'out.building-*/**',
      'out.previous-*/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Everywhere, tests included: only main, preload and the shell know Electron.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Only electron/main.ts, electron/preload.ts and electron/shell/ may import electron.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/shell/**'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  ...layerBlocks(),
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
);
