import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMoodleSim, type MoodleSim } from '../adapters/testing/moodle-sim';
import { REPO_ROOT, type CliResult } from '../electron/test-support/cli';
import { SCHOOL_CONFIG } from '../electron/test-support/school-config';
import { useTempDirs } from '../electron/test-support/temp';

// `with-keyring.sh start` on a server without a desktop: one private bus and unlocked keyring that
// several separate `classbridge` commands share, each its own process, as in an admin's shell.
const tempDir = useTempDirs();
const SCRIPT = join(REPO_ROOT, 'scripts/with-keyring.sh');
const BIN = join(REPO_ROOT, 'bin/classbridge.mjs');

/** This process's environment without the bus of the keyring the test run itself is wrapped in. */
function bareEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.CLASSBRIDGE_KEYRING_RUN;
  return { ...env, ...extra };
}

interface Keyring {
  env: NodeJS.ProcessEnv;
  run: string;
  pids: number[];
}

/** `eval "$(scripts/with-keyring.sh start …)"` in one shell; returns what it exported. */
function startKeyring(args: string[] = [], extra: NodeJS.ProcessEnv = {}): Keyring {
  const shell = spawnSync(
    'bash',
    [
      '-c',
      'eval "$(bash "$0" start "$@")" && printf "%s\\n%s\\n" "$DBUS_SESSION_BUS_ADDRESS" "$CLASSBRIDGE_KEYRING_RUN"',
      SCRIPT,
      ...args,
    ],
    { env: bareEnv(extra), encoding: 'utf8', timeout: 20_000 },
  );
  expect(shell.status, shell.stderr).toBe(0);
  const [bus, run] = shell.stdout.trim().split('\n');
  expect(bus).toMatch(/^unix:path=/);
  const pids = ['dbus.pid', 'keyring.pid'].map((f) => Number(readFileSync(join(run ?? '', f), 'utf8').trim()));
  const keyring = {
    env: bareEnv({ DBUS_SESSION_BUS_ADDRESS: bus, CLASSBRIDGE_KEYRING_RUN: run }),
    run: run ?? '',
    pids,
  };
  started.push(keyring);
  return keyring;
}

/** Every keyring a test started: one a failed assertion left running is stopped after the test. */
const started: Keyring[] = [];
afterEach(() => {
  for (const keyring of started.splice(0)) {
    if (existsSync(keyring.run)) spawnSync('bash', [SCRIPT, 'stop'], { env: keyring.env });
  }
});

function stopKeyring(keyring: Keyring): void {
  const shell = spawnSync('bash', ['-c', 'eval "$(bash "$0" stop)" && echo "[$DBUS_SESSION_BUS_ADDRESS]"', SCRIPT], {
    env: keyring.env,
    encoding: 'utf8',
  });
  expect(shell.status, shell.stderr).toBe(0);
  expect(shell.stdout.trim()).toBe('[]');
}

/** Alive and not a zombie (the daemons are reparented; a container's init may not reap them). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** One `classbridge` command in its own process, in the given environment (async: the simulator is here). */
function classbridge(env: NodeJS.ProcessEnv, args: string[], stdin = ''): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

let sim: MoodleSim;
beforeEach(async () => {
  sim = await startMoodleSim();
});
afterEach(async () => {
  await sim.close();
});

/** A data folder configured for the simulator (no secret yet). */
async function dataFolder(env: NodeJS.ProcessEnv): Promise<string> {
  const dir = tempDir();
  const dataDir = join(dir, 'data');
  const config = {
    ...SCHOOL_CONFIG,
    connections: [SCHOOL_CONFIG.connections[0], { ...SCHOOL_CONFIG.connections[1], url: sim.url }],
  };
  writeFileSync(join(dir, 'school.json'), JSON.stringify(config));
  const imported = await classbridge(env, ['--data-dir', dataDir, 'config', 'import', join(dir, 'school.json')]);
  expect(imported.status, imported.stderr).toBe(0);
  return dataDir;
}

const LMS_OK = /ok {3}LMS Moodle \(main\): ClassBridge Test School/;

describe.runIf(process.platform === 'linux')('scripts/with-keyring.sh start / stop', () => {
  it('keeps one unlocked keyring across separate commands until stop', async () => {
    const keyring = startKeyring();
    expect(keyring.pids.every(running)).toBe(true);
    const dataDir = await dataFolder(keyring.env);
    // First command: store the token. Second, separate command: read it (doctor calls the LMS with it).
    const set = await classbridge(
      keyring.env,
      ['--data-dir', dataDir, 'secret', 'set', 'moodle-main', 'token'],
      sim.token,
    );
    expect(set.status, set.stderr).toBe(0);
    const doctor = await classbridge(keyring.env, ['--data-dir', dataDir, 'doctor']);
    expect(doctor.stdout).toMatch(LMS_OK);

    stopKeyring(keyring);
    expect(keyring.pids.some(running)).toBe(false);
    expect(existsSync(keyring.run)).toBe(false);
    // The commands used that keyring, not another: with it stopped the token cannot be read.
    const after = await classbridge(keyring.env, ['--data-dir', dataDir, 'doctor']);
    expect(after.stdout).not.toMatch(LMS_OK);
    expect(after.stdout + after.stderr).toMatch(/No OS keychain is available/);
  }, 60_000);

  it('with --dir keeps the keyring file, so a token set before a restart is read after it', async () => {
    const folder = join(tempDir(), 'keyring');
    const password = { KEYRING_PASSWORD: 'server-keyring-password' };
    const first = startKeyring(['--dir', folder], password);
    const dataDir = await dataFolder(first.env);
    const set = await classbridge(
      first.env,
      ['--data-dir', dataDir, 'secret', 'set', 'moodle-main', 'token'],
      sim.token,
    );
    expect(set.status, set.stderr).toBe(0);
    stopKeyring(first);
    expect(existsSync(join(folder, 'keyrings/login.keyring'))).toBe(true);
    expect(readFileSync(join(folder, 'keyrings/login.keyring')).includes(sim.token)).toBe(false);

    const second = startKeyring(['--dir', folder], password);
    const doctor = await classbridge(second.env, ['--data-dir', dataDir, 'doctor']);
    expect(doctor.stdout).toMatch(LMS_OK);
    stopKeyring(second);

    // The wrong password leaves the keyring locked: start says so and leaves nothing running.
    const wrong = spawnSync('bash', [SCRIPT, 'start', '--dir', folder], {
      env: bareEnv({ KEYRING_PASSWORD: 'not-it' }),
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('KEYRING_PASSWORD is not its password');
    expect(wrong.stdout).not.toContain('export');
  }, 60_000);
});
