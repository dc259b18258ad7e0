import { afterEach, describe, expect, it } from 'vitest';
import { alertsStore, startSmtp, type SmtpReceiver } from '../../test-support/alert-receivers';
import { FakeClock } from '../../test-support/fake-clock';
import { finished, part, status } from '../../test-support/status-fixtures';
import { useTempDirs } from '../../test-support/temp';
import type { Status } from '../contract/contract';
import { createLogger } from '../logging/logger';
import { AlertSettingsSchema } from '../model';
import { MemorySecretStore } from '../secrets';
import type { Store } from '../store/store';
import { AlertService } from './alert-service';
import { AlertStore } from './alert-store';
import { lateSourceOf } from './late-source';

const tempDir = useTempDirs();
const logger = createLogger(undefined, 'alerts-test');
let smtp: SmtpReceiver | undefined;
const services: AlertService[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
  for (const s of stores.splice(0)) s.close();
  await smtp?.close();
  smtp = undefined;
});

const ok = status();
const problem = status(
  {},
  { upload: part('upload', 'problem', { lastRun: finished('upload', 'failed', 1), fix: 'Create a new token.' }) },
);

async function setUp(alerts: Record<string, unknown> = {}, start = new Date('2026-03-10T02:00:00Z')) {
  smtp = await startSmtp();
  const store = alertsStore(tempDir());
  stores.push(store);
  store.settings.save({
    ...store.settings.get(),
    timeZone: 'Pacific/Auckland',
    alerts: AlertSettingsSchema.parse({
      enabled: true,
      email: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'none',
        from: 'cb@school.example',
        to: ['it@school.example'],
      },
      digest: { every: 'off' },
      ...alerts,
    }),
  });
  const clock = new FakeClock(start);
  let current: Status = ok;
  const service = (): AlertService => {
    const s = new AlertService({
      store,
      secrets: new MemorySecretStore(),
      logger,
      clock,
      status: () => current,
      delivery: { email: { minTimeoutMs: 5 } },
    });
    services.push(s);
    return s;
  };
  return { store, clock, service, setStatus: (s: Status) => (current = s), mails: () => smtp?.mails ?? [] };
}

describe('the alert service (a real store, a real SMTP server, the fake clock)', () => {
  it('one email per transition: a retry storm and a restart send nothing more', async () => {
    const { service, setStatus, mails, store } = await setUp();
    const alerts = service();
    setStatus(problem);
    await alerts.pass();
    await alerts.pass(); // the failed retry: the same problem
    expect(mails().map((m) => m.subject)).toEqual(['Upload to Moodle A has a problem']);
    expect(mails()[0]?.text).toContain('Create a new token.');
    await alerts.close();
    // A restart: the memory is in SQLite.
    const again = service();
    await again.pass();
    expect(mails()).toHaveLength(1);
    // Recovered, then failing again: a new transition.
    setStatus(ok);
    await again.pass();
    setStatus(problem);
    await again.pass();
    expect(mails()).toHaveLength(2);
    expect(new AlertStore(store.db).recent().map((r) => [r.kind, r.channel, r.ok])).toEqual([
      ['problem', 'email', true],
      ['problem', 'email', true],
    ]);
  });

  it('an update the desktop reported (alerts:updateReady) is told once per version', async () => {
    const { service, mails, store } = await setUp();
    const alerts = service();
    new AlertStore(store.db).setUpdateReady('1.4.0');
    await alerts.pass();
    await alerts.pass();
    expect(mails().map((m) => m.subject)).toEqual(['A ClassBridge update is ready']);
    expect(mails()[0]?.text).toContain('Version 1.4.0 is downloaded');
  });

  it('notices a late KAMAR push with time alone (the five-minute pass), and tells it once', async () => {
    const start = new Date('2026-03-10T09:30:00Z'); // Tuesday 22:30 NZDT, just after the nightly push
    const { store, clock, mails } = await setUp({}, start);
    store.connections.save({ id: 'kamar', kind: 'sms', provider: 'kamar', name: 'KAMAR', options: {} });
    for (let night = 0; night < 6; night++) {
      const at = new Date(Date.parse('2026-03-10T09:14:00Z') - night * 86_400_000).toISOString();
      const id = store.runs.start(null, 'upload', 'schedule');
      store.runs.finish(id, 'ok', {}, 'Imported KAMAR full push (3 parts).');
      store.db.prepare('UPDATE runs SET started_at = ?, finished_at = ? WHERE id = ?').run(at, at, id);
    }
    const alerts = new AlertService({
      store,
      secrets: new MemorySecretStore(),
      logger,
      clock,
      status: () => ({ ...ok, lateSource: lateSourceOf(store, clock.now()) }),
    });
    services.push(alerts);
    await alerts.pass();
    // Wednesday night's push never comes; 37 hours after Tuesday's it is late.
    await clock.advanceTo(new Date('2026-03-11T12:00:00Z'));
    await alerts.pass();
    expect(mails()).toHaveLength(0);
    await clock.advanceTo(new Date('2026-03-11T22:30:00Z'));
    await alerts.pass();
    await clock.advance(60 * 60_000);
    await alerts.pass();
    expect(mails().map((m) => m.subject)).toEqual(['The SMS data is late: KAMAR full push']);
    expect(mails()[0]?.text).toContain('No KAMAR full push since Tuesday 22:14 — usually every night.');
  });

  it('waits out quiet hours in the school’s time zone, then sends what was decided', async () => {
    // 23:00 in Auckland.
    const { service, setStatus, mails, clock, store } = await setUp(
      { quietHours: { start: '22:00', end: '06:30' } },
      new Date('2026-03-10T10:00:00Z'),
    );
    const alerts = service();
    setStatus(problem);
    await alerts.pass();
    expect(mails()).toHaveLength(0);
    expect(new AlertStore(store.db).outbox()).toHaveLength(1);
    await clock.advanceTo(new Date('2026-03-10T17:31:00Z')); // 06:31: the five-minute pass runs
    await alerts.pass();
    expect(mails().map((m) => m.subject)).toEqual(['Upload to Moodle A has a problem']);
    expect(new AlertStore(store.db).outbox()).toHaveLength(0);
  });

  it('sends the daily digest at its local time, once', async () => {
    const { service, mails, clock } = await setUp({ digest: { every: 'day', at: '07:30' } });
    const alerts = service();
    await alerts.pass(); // starts counting
    expect(mails()).toHaveLength(0);
    await clock.advanceTo(new Date('2026-03-10T18:31:00Z')); // Wednesday 07:31 NZDT
    await alerts.pass();
    await alerts.pass();
    expect(mails().map((m) => m.subject)).toEqual(['ClassBridge daily digest: no errors open']);
    expect(mails()[0]?.text).toContain('Errors open now: 0.');
  });

  it('tells nothing while alerts are off; a channel that fails is logged, never thrown', async () => {
    const { service, setStatus, mails, store } = await setUp();
    store.settings.save({ ...store.settings.get(), alerts: { ...store.settings.get().alerts, enabled: false } });
    const alerts = service();
    setStatus(problem);
    await alerts.pass();
    expect(mails()).toHaveLength(0);
    await smtp?.close();
    store.settings.save({ ...store.settings.get(), alerts: { ...store.settings.get().alerts, enabled: true } });
    await expect(alerts.pass()).resolves.toBeUndefined();
    const [entry] = new AlertStore(store.db).recent();
    expect(entry).toMatchObject({ kind: 'problem', channel: 'email', ok: false });
    expect(entry?.error).toMatch(/Could not talk to the SMTP server 127\.0\.0\.1/);
    smtp = undefined;
  });
});
