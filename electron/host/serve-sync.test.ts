import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMoodleSim } from '../../adapters/testing/moodle-sim';
import { KeychainSecretStore } from '../core/secrets';
import { runCliAsync, serve } from '../test-support/cli';
import { setUpSchoolWithLms } from '../test-support/school-with-lms';
import { useTempDirs } from '../test-support/temp';

const tempDir = useTempDirs();

describe('Upload now / Download now through the running engine', () => {
  it('runs the upload, the course list and the download from the Api, each recorded as a run', async () => {
    const sim = await startMoodleSim();
    const keychain = new KeychainSecretStore();
    const dir = tempDir();
    const { dataDir, school } = await setUpSchoolWithLms(dir, sim, 41);

    const host = await serve(dataDir);
    const call = async (method: string, input: unknown) => {
      const res = await fetch(`${host.origin}/api/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      return (await res.json()) as { ok: boolean; result: unknown };
    };
    try {
      const upload = (await call('sync:runNow', { target: 'upload' })) as { result: { outcome: string }[] };
      expect(upload.result[0]?.outcome).toMatch(/ok|partial/);
      const usernames = [...sim.state.users.values()].map((u) => u.username);
      for (const s of school.students) expect(usernames).toContain(s.username);

      const courses = (await call('sync:runNow', { target: 'course-tracking' })) as {
        result: { outcome: string; message: string }[];
      };
      expect(courses.result[0]).toMatchObject({
        outcome: 'ok',
        message: expect.stringContaining('courses in the LMS'),
      });
      const listed = (await call('courses:list', {})) as { result: { state: string }[] };
      expect(listed.result.length).toBeGreaterThan(0);
      expect(listed.result.every((c) => c.state === 'New')).toBe(true);

      const download = (await call('sync:runNow', { target: 'download' })) as { result: { outcome: string }[] };
      expect(download.result[0]?.outcome).toBe('ok');

      const status = (await call('status:get', {})) as {
        result: { lms: { parts: { part: string; health: string }[] }[] };
      };
      const health = Object.fromEntries(status.result.lms[0]?.parts.map((p) => [p.part, p.health]) ?? []);
      expect(health).toMatchObject({ 'course-tracking': 'ok', results: 'ok' });
      expect(['ok', 'warning']).toContain(health.upload);
    } finally {
      expect(await host.stop()).toBe(0);
      await keychain.deleteAll('moodle-main');
      await sim.close();
    }
  });

  it('keeps the SMS receiver running through unrelated settings changes (a restart would spoil a KAMAR push)', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const kamar = {
      id: 'kamar',
      kind: 'sms',
      provider: 'kamar',
      name: 'KAMAR',
      options: { receiverPort: 0, receiverTls: 'none' },
    };
    writeFileSync(
      join(dir, 'school.json'),
      JSON.stringify({ format: 'classbridge-config', version: 1, connections: [kamar] }),
    );
    expect((await runCliAsync(['--data-dir', dataDir, 'config', 'import', join(dir, 'school.json')])).status).toBe(0);
    expect(
      (await runCliAsync(['--data-dir', dataDir, 'secret', 'set', 'kamar', 'push-secret'], { stdin: 'kamar-secret' }))
        .status,
    ).toBe(0);
    const host = await serve(dataDir);
    const call = async (method: string, input: unknown) => {
      const res = await fetch(`${host.origin}/api/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      return ((await res.json()) as { result: { receiver: { running: boolean; url?: string } | null } }).result;
    };
    try {
      let before: { running: boolean; url?: string } | null = null;
      for (let i = 0; i < 50 && !before?.running; i++) {
        before = (await call('status:get', {})).receiver;
        if (!before?.running) await new Promise((r) => setTimeout(r, 100));
      }
      expect(before?.running).toBe(true);
      await call('sync:setPaused', { paused: true });
      await new Promise((r) => setTimeout(r, 500));
      // Port 0 picks a new port on every start, so the same URL means the same receiver.
      expect((await call('status:get', {})).receiver?.url).toBe(before?.url);
    } finally {
      expect(await host.stop()).toBe(0);
      await new KeychainSecretStore().deleteAll('kamar');
    }
  });
});
