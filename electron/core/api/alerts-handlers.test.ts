import { beforeEach, describe, expect, it } from 'vitest';
import { alertsStore } from '../../test-support/alert-receivers';
import { useTempDirs } from '../../test-support/temp';
import type { Status } from '../contract/contract';
import { ALERTS_SECRET_OWNER } from '../model';
import { MemorySecretStore } from '../secrets';
import type { Store } from '../store/store';
import { ApiService } from './api-service';

const tempDir = useTempDirs();
let store: Store;
let secrets: MemorySecretStore;
let api: ApiService;

beforeEach(() => {
  store = alertsStore(tempDir());
  secrets = new MemorySecretStore();
  api = new ApiService({ store, secrets, emit: () => undefined });
  return () => store.close();
});

describe('the alerts Api', () => {
  it('keeps the SMTP password in the keychain only, and says that it is there', async () => {
    expect(await api.dispatch('alerts:setSecret', { name: 'smtp-password', value: 'pw' })).toEqual({
      ok: true,
      result: { stored: true },
    });
    expect(await secrets.get(ALERTS_SECRET_OWNER, 'smtp-password')).toBe('pw');
    const status = await api.dispatch('alerts:status', {});
    expect(status).toMatchObject({
      ok: true,
      result: { secrets: { smtpPassword: true, webhookSecret: false }, waiting: 0 },
    });
    expect(JSON.stringify(store.settings.get())).not.toContain('pw"');
    expect(await api.dispatch('alerts:setSecret', { name: 'token', value: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
  });

  it('settings:save validates settings.alerts (clear text SMTP off this computer is refused)', async () => {
    const settings = store.settings.get();
    const answer = await api.dispatch('settings:save', {
      ...settings,
      alerts: {
        ...settings.alerts,
        email: { host: 'smtp.school.nz', port: 25, security: 'none', from: 'a@b.nz', to: ['c@d.nz'] },
      },
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('status:get says when the SMS is late: no KAMAR full push for two nights', async () => {
    store.connections.save({ id: 'kamar', kind: 'sms', provider: 'kamar', name: 'KAMAR', options: {} });
    const day = 86_400_000;
    const last = Date.now() - 2 * day;
    for (let i = 5; i >= 0; i--) {
      const at = new Date(last - i * day).toISOString();
      const id = store.runs.start(null, 'upload', 'schedule');
      store.runs.finish(id, 'ok', {}, 'Imported KAMAR full push (3 parts).');
      store.db.prepare('UPDATE runs SET started_at = ?, finished_at = ? WHERE id = ?').run(at, at, id);
    }
    const answer = await api.dispatch('status:get', {});
    if (!answer.ok) throw new Error(answer.error.message);
    const status = answer.result as Status;
    expect(status.lateSource).toMatchObject({ source: 'KAMAR full push', everyHours: 24, learnt: true });
    expect(status.lateSource?.words).toMatch(/^No KAMAR full push since .* — usually every (night|day)\.$/);
  });
});
