import { describe, expect, it } from 'vitest';
import { startMoodleSim } from '../../adapters/testing/moodle-sim';
import { KeychainSecretStore } from '../core/secrets';
import { serve } from '../test-support/cli';
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
      expect(['ok', 'warning']).toContain(health.enrolments);
    } finally {
      expect(await host.stop()).toBe(0);
      await keychain.deleteAll('moodle-main');
      await sim.close();
    }
  });
});
