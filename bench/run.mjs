// `npm run bench`: bundles the benchmarks next to the built engine (out/bench, so the engine worker
// resolves as ../engine/engine-worker.mjs) and runs them. Prints tables; asserts nothing.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

await build({
  entryPoints: {
    'bench/store-and-api': 'bench/store-and-api.bench.ts',
    'bench/busy-store-worker': 'bench/busy-store-worker.ts',
    'bench/moodle-adapter': 'bench/moodle-adapter.bench.ts',
    'bench/lms-throughput': 'bench/lms-throughput.bench.ts',
    'bench/sim-process': 'bench/sim-process.ts',
    'bench/sms-avetmiss': 'bench/sms-avetmiss.bench.ts',
    'bench/sms-oneroster': 'bench/sms-oneroster.bench.ts',
    'bench/sms-kamar': 'bench/sms-kamar.bench.ts',
    'bench/sms-csv': 'bench/sms-csv.bench.ts',
    'bench/sms-import': 'bench/sms-import.bench.ts',
    'bench/upload-plan': 'bench/upload-plan.bench.ts',
    'bench/sync-large': 'bench/sync-large.bench.ts',
  },
  outdir: 'out',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  external: [
    'better-sqlite3',
    '@napi-rs/keyring',
    'pino',
    'zod',
    'commander',
    'p-limit',
    'p-retry',
    'selfsigned',
    'csv-parse',
    'csv-stringify',
    'fflate',
    'luxon',
  ],
  logLevel: 'warning',
});
// `npm run bench -- sync-large upload-plan` runs only those; no names runs them all.
const ALL = [
  'store-and-api',
  'moodle-adapter',
  'lms-throughput',
  'sms-avetmiss',
  'sms-oneroster',
  'sms-kamar',
  'sms-csv',
  'sms-import',
  'upload-plan',
  'sync-large',
];
const chosen = process.argv.slice(2);
for (const name of chosen)
  if (!ALL.includes(name)) throw new Error(`No benchmark "${name}". Choose from: ${ALL.join(', ')}`);
for (const bench of chosen.length > 0 ? chosen : ALL) {
  console.log(`\n${bench}`);
  const result = spawnSync(process.execPath, [`out/bench/${bench}.mjs`], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
