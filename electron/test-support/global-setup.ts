import { spawnSync } from 'node:child_process';

/**
 * Integration tests run the built entries (CLI, engine worker, host), as users do. Build once before
 * the run unless the caller already did (scripts/test-all.mjs sets CLASSBRIDGE_PREBUILT=1).
 */
export default function setup(): void {
  if (process.env.CLASSBRIDGE_PREBUILT === '1') return;
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed; integration tests need the built app');
}
