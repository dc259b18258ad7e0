import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliAsync, serve } from '../test-support/cli';
import { SCHOOL_CONFIG } from '../test-support/school-config';
import { useTempDirs } from '../test-support/temp';
import { KeychainSecretStore, secretsFolderOf } from '../core/secrets';
import { openStore } from '../core/store/store';
import { freshSiteSeed, startMoodleSim } from '../../adapters/testing/moodle-sim';

// These run the built `classbridge` command in a child process, as an IT person would.
const tempDir = useTempDirs();

const config = SCHOOL_CONFIG;

function writeConfig(dir: string, value: unknown): string {
  const file = join(dir, 'school.json');
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('exit codes', () => {
  it('0 for a successful command', () => {
    const result = runCli(['--data-dir', tempDir(), 'status']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Not set up yet');
  });

  it('2 for bad usage: unknown command, missing argument, bad option value, no command', () => {
    const dir = tempDir();
    expect(runCli(['--data-dir', dir, 'frobnicate']).status).toBe(2);
    expect(runCli(['--data-dir', dir, 'secret', 'set', 'only-one-arg']).status).toBe(2);
    expect(runCli(['--data-dir', dir, 'serve', '--port', 'eighty']).status).toBe(2);
    expect(runCli(['--data-dir', dir, 'status', '--bogus']).status).toBe(2);
    expect(runCli([]).status).toBe(2);
    expect(runCli(['--help']).status).toBe(0);
  });

  it('1 when the operation fails, with the reason on stderr', () => {
    const dir = tempDir();
    const missing = runCli(['--data-dir', dir, 'config', 'import', join(dir, 'nope.json')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read .*nope\.json: ENOENT/);

    const bad = runCli([
      '--data-dir',
      dir,
      'config',
      'import',
      writeConfig(dir, { ...config, settings: { timeZone: 'Nowhere/Land' } }),
    ]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/school\.json: settings\.timeZone: Not a known time zone/);
  });

  it('1 with a clear message for a database from a newer version, which stays untouched', () => {
    const dir = tempDir();
    expect(runCli(['--data-dir', dir, 'status']).status).toBe(0);
    const db = new Database(join(dir, 'classbridge.db'));
    db.pragma('user_version = 999');
    db.close();
    const before = readFileSync(join(dir, 'classbridge.db'));
    const result = runCli(['--data-dir', dir, 'status']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('newer version of ClassBridge');
    expect(readFileSync(join(dir, 'classbridge.db')).equals(before)).toBe(true);
  });

  it('--json prints machine-readable output, also for failures', () => {
    const dir = tempDir();
    const ok = runCli(['--data-dir', dir, '--json', 'status']);
    expect(JSON.parse(ok.stdout)).toMatchObject({ setUp: false });
    const failed = runCli(['--data-dir', dir, '--json', 'config', 'import', join(dir, 'nope.json')]);
    expect(failed.status).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ ok: false, error: { kind: 'failed' } });
  });
});

describe('config export and import', () => {
  it('sets a school up from a file and exports the same settings without secrets', () => {
    const dir = tempDir();
    const imported = runCli(['--data-dir', dir, 'config', 'import', writeConfig(dir, config)]);
    expect(imported.status).toBe(0);
    expect(imported.stdout).toContain('2 connections added');
    const status = JSON.parse(runCli(['--data-dir', dir, '--json', 'status']).stdout) as {
      setUp: boolean;
      lms: { name: string }[];
    };
    expect(status.setUp).toBe(true);
    expect(status.lms.map((l) => l.name)).toEqual(['Moodle (main)']);

    const exported = runCli(['--data-dir', dir, 'config', 'export', '-']);
    expect(exported.status).toBe(0);
    const file = JSON.parse(exported.stdout) as typeof config;
    expect(file.settings.timeZone).toBe('Pacific/Auckland');
    expect(file.connections.map((c) => c.id)).toEqual(['kamar', 'moodle-main']);
  });

  it('refuses a file holding a token', () => {
    const dir = tempDir();
    const withToken = { ...config, connections: [{ ...config.connections[1], token: 'abcdef' }] };
    const result = runCli(['--data-dir', dir, 'config', 'import', writeConfig(dir, withToken)]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('connections[0].token: configuration files never hold secrets');
  });
});

describe('secret set', () => {
  it('stores the value from stdin in the OS keychain and nowhere else', async () => {
    const dir = tempDir();
    runCli(['--data-dir', dir, 'config', 'import', writeConfig(dir, config)]);
    const value = `token-${randomUUID()}`;
    const result = runCli(['--data-dir', dir, 'secret', 'set', 'moodle-main', 'token'], { stdin: `${value}\n` });
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain(value);
    // Under this data folder's own entry (secrets are keyed by folder as well as connection).
    const store = openStore({ file: join(dir, 'classbridge.db') });
    const keychain = new KeychainSecretStore(undefined, secretsFolderOf(store));
    expect(await keychain.get('moodle-main', 'token')).toBe(value);
    expect(readFileSync(join(dir, 'classbridge.db')).toString('latin1')).not.toContain(value);
    expect(readFileSync(join(dir, 'logs', 'classbridge.log'), 'utf8')).not.toContain(value);
    await keychain.deleteAll('moodle-main');
    store.close();
  });

  it('fails for an unknown connection and refuses an empty value', () => {
    const dir = tempDir();
    expect(runCli(['--data-dir', dir, 'secret', 'set', 'ghost', 'token'], { stdin: 'x' }).status).toBe(1);
    runCli(['--data-dir', dir, 'config', 'import', writeConfig(dir, config)]);
    expect(runCli(['--data-dir', dir, 'secret', 'set', 'moodle-main', 'token'], { stdin: '' }).status).toBe(2);
  });
});

describe('doctor', () => {
  it('fails (1) on a fresh install and says what to do', () => {
    const result = runCli(['--data-dir', tempDir(), 'doctor']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('ok   OS keychain: reachable');
    expect(result.stdout).toContain('FAIL Setup');
    expect(result.stdout).toContain('fix: Run the setup wizard');
  });
});

describe('doctor with an LMS', () => {
  it('connects to the LMS, prints the site, and names a revoked function with its fix', async () => {
    const sim = await startMoodleSim();
    const dir = tempDir();
    const keychain = new KeychainSecretStore();
    try {
      const school = { ...config, connections: [config.connections[0], { ...config.connections[1], url: sim.url }] };
      expect(runCli(['--data-dir', dir, 'config', 'import', writeConfig(dir, school)]).status).toBe(0);
      expect(runCli(['--data-dir', dir, 'secret', 'set', 'moodle-main', 'token'], { stdin: sim.token }).status).toBe(0);
      sim.revokeFunction(sim.token, 'gradereport_user_get_grade_items');
      const doctor = await runCliAsync(['--data-dir', dir, 'doctor']);
      expect(doctor.stdout).toMatch(/ok {3}LMS Moodle \(main\): ClassBridge Test School \(Moodle 5\.1/);
      expect(doctor.stdout).toContain(
        'FAIL LMS Moodle (main): Read gradebooks (results): not allowed by the web service (gradereport_user_get_grade_items)',
      );
      expect(doctor.stdout).toContain('fix: Read gradebooks (results) is not possible');
      expect(doctor.stdout).not.toContain(sim.token);
      const json = JSON.parse((await runCliAsync(['--data-dir', dir, '--json', 'doctor'])).stdout) as {
        checks: { check: string; ok: boolean }[];
      };
      expect(json.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual([
        'SMS KAMAR',
        'LMS Moodle (main): Read gradebooks (results)',
      ]);
    } finally {
      await keychain.deleteAll('moodle-main');
      await sim.close();
    }
  });
});

describe('doctor on a fresh site', () => {
  it('names every capability the token lacks, by id, though site info lists every function; and the role ids', async () => {
    // The §10 lab: the connector's role without create/enrol rights; no course, so no participant anywhere.
    const sim = await startMoodleSim({
      seed: freshSiteSeed({
        capabilities: [
          'webservice/rest:use',
          'moodle/course:view',
          'moodle/user:update',
          'moodle/category:viewhiddencategories',
        ],
      }),
    });
    const dir = tempDir();
    const keychain = new KeychainSecretStore();
    try {
      const school = { ...config, connections: [config.connections[0], { ...config.connections[1], url: sim.url }] };
      expect(runCli(['--data-dir', dir, 'config', 'import', writeConfig(dir, school)]).status).toBe(0);
      expect(runCli(['--data-dir', dir, 'secret', 'set', 'moodle-main', 'token'], { stdin: sim.token }).status).toBe(0);
      const doctor = await runCliAsync(['--data-dir', dir, 'doctor']);
      expect(doctor.status).toBe(1);
      expect(doctor.stdout).toContain(
        "FAIL LMS Moodle (main): Create users: the token's role lacks moodle/user:create",
      );
      expect(doctor.stdout).toContain(
        "FAIL LMS Moodle (main): Create courses: the token's role lacks moodle/course:create",
      );
      expect(doctor.stdout).toContain("FAIL LMS Moodle (main): Enrol: the token's role lacks enrol/manual:enrol");
      expect(doctor.stdout).toMatch(
        /ok {3}LMS Moodle \(main\): role ids: student 5 \(Moodle's default, checked at the first enrolment\)/,
      );
      // Nothing was created by the probes.
      expect([...sim.state.users.values()].map((u) => u.username).sort()).toEqual(['admin', 'guest', 'wsconnector']);
      expect(sim.state.courses.size).toBe(1);
    } finally {
      await keychain.deleteAll('moodle-main');
      await sim.close();
    }
  });
});

describe('serve', () => {
  it('runs the engine in a worker, serves the Api with the printed token, and stops cleanly on SIGTERM', async () => {
    const host = await serve(tempDir());
    try {
      const unauthorised = await fetch(`${host.origin}/api/status:get`, { method: 'POST', body: '{}' });
      expect(unauthorised.status).toBe(401);
      const reply = await fetch(`${host.origin}/api/status:get`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(reply.status).toBe(200);
      expect(await reply.json()).toMatchObject({ ok: true, result: { setUp: false } });
      const page = await fetch(host.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    } finally {
      expect(await host.stop()).toBe(0);
    }
  });
});
