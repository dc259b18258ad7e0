import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/cli';
import { SCHOOL_CONFIG } from '../test-support/school-config';
import { useTempDirs } from '../test-support/temp';

const tempDir = useTempDirs();
const BIN = fileURLToPath(new URL('../../bin/classbridge.mjs', import.meta.url));

/**
 * `classbridge … | head -1`: runs the command with its stdout on a pipe whose reading end is closed
 * before the command writes (head has gone), so every write meets EPIPE.
 */
function withReaderGone(args: readonly string[]): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stderr })));
}

describe('output to a reader that stops early', () => {
  it('does not crash with EPIPE: the command ends quietly with its own exit code', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'school.json'), JSON.stringify(SCHOOL_CONFIG));
    expect(runCli(['--data-dir', dataDir, 'config', 'import', join(dataDir, 'school.json')]).status).toBe(0);

    for (const args of [['status'], ['--json', 'status'], ['courses', 'list'], ['--help']]) {
      const result = await withReaderGone(['--data-dir', dataDir, ...args]);
      expect(result.stderr, args.join(' ')).toBe('');
      expect(result.status, args.join(' ')).toBe(0);
    }
    // A failing command still fails (its reason goes to stderr, which is still read).
    const failed = await withReaderGone(['--data-dir', dataDir, 'held', 'show', '7']);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toBe(
      'classbridge: There is no held plan 7. No upload is waiting for a decision. See `classbridge held list`.\n',
    );
  });
});
