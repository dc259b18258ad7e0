import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveReading } from '../test-support/cli';
import { useTempDirs } from '../test-support/temp';

const tempDir = useTempDirs();

async function call(origin: string, token: string, method: string): Promise<{ ok: boolean; result: unknown }> {
  const res = await fetch(`${origin}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  return (await res.json()) as { ok: boolean; result: unknown };
}

// A Linux server with no desktop session: no D-Bus session bus, so no Secret Service.
describe.runIf(process.platform === 'linux')('a headless host with no keychain', () => {
  it('says so at start, with the fix, and the Api tells the window the same before any token is saved', async () => {
    const env = { ...process.env };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const { host, before } = await serveReading(join(tempDir(), 'data'), env);
    try {
      const warning = before.find((line) => line.startsWith('Warning:'));
      expect(warning).toMatch(/No OS keychain is available/);
      expect(warning).toMatch(/dbus-run-session/);
      const check = await call(host.origin, host.token, 'secrets:keychain');
      expect(check).toMatchObject({ ok: true, result: { available: false } });
      expect((check.result as { message: string }).message).toMatch(/gnome-keyring/);
    } finally {
      await host.stop();
    }
  });

  it('says nothing where the keychain answers', async () => {
    const { host, before } = await serveReading(join(tempDir(), 'data'));
    try {
      expect(before.some((line) => line.startsWith('Warning:'))).toBe(false);
      expect(await call(host.origin, host.token, 'secrets:keychain')).toMatchObject({
        ok: true,
        result: { available: true },
      });
    } finally {
      await host.stop();
    }
  });
});
