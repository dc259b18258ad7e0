import { afterEach, describe, expect, it } from 'vitest';
import { alertsStore, startSmtp, startWebhook } from '../test-support/alert-receivers';
import { runCliAsync } from '../test-support/cli';
import { useTempDirs } from '../test-support/temp';
import { ALERTS_SECRET_OWNER, AlertSettingsSchema } from '../core/model';
import { KeychainSecretStore, secretsFolderOf } from '../core/secrets';
import { verifySignature } from '../core/alerts';

const tempDir = useTempDirs();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A data folder with alerts to these receivers (the tables made by hand while migration 024 waits for 023). */
function folderWithAlerts(alerts: Record<string, unknown>): string {
  const dataDir = tempDir();
  const store = alertsStore(dataDir);
  store.settings.save({ ...store.settings.get(), alerts: AlertSettingsSchema.parse({ enabled: true, ...alerts }) });
  const { id } = secretsFolderOf(store);
  const folder = {
    id,
    sharedSecrets: () => 'none' as const,
    markSharedSecretsAdopted: () => undefined,
    connectionIds: () => [],
  };
  cleanups.push(() => new KeychainSecretStore(undefined, folder).deleteAll(ALERTS_SECRET_OWNER).then(() => undefined));
  store.close();
  return dataDir;
}

describe('classbridge alerts test', () => {
  it('sends one of each kind by email and webhook, signed with the secret the CLI stored', async () => {
    const smtp = await startSmtp();
    const hook = await startWebhook();
    cleanups.push(smtp.close, hook.close);
    const url = hook.url;
    const dataDir = folderWithAlerts({
      email: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'none',
        from: 'cb@school.example',
        to: ['it@school.example'],
      },
      webhooks: { problem: url, digest: url },
    });
    const stored = await runCliAsync(['--data-dir', dataDir, 'alerts', 'secret', 'webhook-secret'], {
      stdin: 'hook-secret\n',
    });
    expect(stored.status, stored.stderr).toBe(0);

    const result = await runCliAsync(['--data-dir', dataDir, 'alerts', 'test']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'ok      email it@school.example (problem, held, links, update, late-source, digest)',
    );
    expect(result.stdout).toMatch(/ok {6}webhook http:\/\/127\.0\.0\.1:\d+\/hooks\/class… \(problem, digest\)/);
    expect(smtp.mails.map((m) => m.subject)).toEqual([
      '[TEST] Upload to Moodle has a problem',
      '[TEST] An upload to Moodle is waiting for your approval',
      '[TEST] 1 existing LMS account waits for a link decision',
      '[TEST] A ClassBridge update is ready',
      '[TEST] The SMS data is late: SMS',
      '[TEST] ClassBridge daily digest: no errors open',
    ]);
    expect(hook.hits).toHaveLength(2);
    for (const hit of hook.hits) {
      const headers = {
        signature: String(hit.headers['x-classbridge-signature']),
        timestamp: String(hit.headers['x-classbridge-timestamp']),
      };
      expect(verifySignature('hook-secret', headers, hit.body, new Date())).toBe(true);
      expect(JSON.parse(hit.body)).toMatchObject({ test: true });
    }
  });

  it('exits 1 and says why when a channel refuses', async () => {
    const hook = await startWebhook([403]);
    cleanups.push(hook.close);
    const dataDir = folderWithAlerts({ webhooks: { problem: hook.url } });
    const stored = await runCliAsync(['--data-dir', dataDir, 'alerts', 'secret', 'webhook-secret'], { stdin: 'x' });
    expect(stored.status, stored.stderr).toBe(0);
    const result = await runCliAsync(['--data-dir', dataDir, 'alerts', 'test', 'problem']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/FAILED {2}webhook .*\(problem\): .*HTTP 403/);
  });

  it('with no channel set up, says where to set one', async () => {
    const dataDir = folderWithAlerts({});
    const result = await runCliAsync(['--data-dir', dataDir, 'alerts', 'test']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/No alert channel is set up/);
  });
});
