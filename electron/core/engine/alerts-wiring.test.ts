import { afterEach, describe, expect, it } from 'vitest';
import { alertsStore, startWebhook } from '../../test-support/alert-receivers';
import { useTempDirs } from '../../test-support/temp';
import { createLogger } from '../logging/logger';
import { ALERTS_SECRET_OWNER, AlertSettingsSchema, LmsConnectionSchema } from '../model';
import { MemorySecretStore } from '../secrets';
import { createEngine, type Engine } from './engine';

const tempDir = useTempDirs();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('alerts in a service-mode engine', () => {
  it('a part that has been failing for two hours is told once by webhook, without a run waiting for it', async () => {
    const hook = await startWebhook();
    cleanups.push(hook.close);
    const dataDir = tempDir();
    const store = alertsStore(dataDir);
    store.settings.save({
      ...store.settings.get(),
      useSms: false,
      alerts: AlertSettingsSchema.parse({ enabled: true, webhooks: { problem: hook.url }, digest: { every: 'off' } }),
    });
    store.connections.save(
      LmsConnectionSchema.parse({
        id: 'moodle',
        kind: 'lms',
        provider: 'moodle',
        name: 'Moodle',
        url: 'http://127.0.0.1:9',
      }),
    );
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const run = store.runs.start('moodle', 'upload', 'schedule');
    store.runs.finish(run, 'failed', {}, 'Could not reach Moodle.');
    store.db.prepare('UPDATE runs SET started_at = ?, finished_at = ? WHERE id = ?').run(twoHoursAgo, twoHoursAgo, run);
    store.close();

    const secrets = new MemorySecretStore();
    await secrets.set(ALERTS_SECRET_OWNER, 'webhook-secret', 'k');
    const engine: Engine = createEngine({ dataDir, mode: 'service', secrets, logger: createLogger(undefined) });
    cleanups.push(() => engine.close());
    await until(() => hook.hits.length > 0);
    // The scheduler retries the upload meanwhile (each retry a status change): still one alert.
    await new Promise((r) => setTimeout(r, 3000));
    expect(hook.hits.map((h) => (JSON.parse(h.body) as { kind: string }).kind)).toEqual(['problem']);
    expect((JSON.parse(hook.hits[0]?.body ?? '{}') as { title: string }).title).toBe('Upload to Moodle has a problem');
  });
});
