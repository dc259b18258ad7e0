import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../adapters/contract';
import { answerOf, basic, post, waitFor } from '../../../adapters/testing/sms-support/kamar';
import {
  COMBINED_CSV_MAPPING,
  combinedCsv,
  generateSchool,
  kamarFullPush,
  kamarSampleFullPush,
} from '../../../adapters/testing/sms-fixtures';
import { useTempDirs } from '../../test-support/temp';
import { ConnectionSchema, type SmsConnection } from '../model';
import { MemorySecretStore } from '../secrets';
import { openStore } from '../store/store';
import { PUSH_SECRET, receiverSettings, startReceiverService } from './receiver-service';

const tempDir = useTempDirs();

function setUp(options: Record<string, string | number | boolean>) {
  const dataDir = tempDir();
  const store = openStore({ file: join(dataDir, 'cb.db') });
  store.connections.save(
    ConnectionSchema.parse({
      id: 'kamar',
      kind: 'sms',
      provider: 'kamar',
      name: 'KAMAR',
      options: { receiverPort: 0, ...options },
    }),
  );
  return { dataDir, store, secrets: new MemorySecretStore() };
}

/**
 * A KAMAR receiver over plain HTTP on loopback, its secret in the keychain and a short quiet time;
 * `start()` starts it (again, as after a restart) and `changes()` counts what it reported.
 */
async function kamarSetUp(secret: string) {
  const setup = setUp({ receiverTls: 'none' });
  await setup.secrets.set('kamar', PUSH_SECRET, secret);
  let changes = 0;
  const start = () =>
    startReceiverService({ ...setup, logger: silentLogger, settleMs: 100, onChanged: () => (changes += 1) });
  return { ...setup, start, changes: () => changes, auth: { authorization: basic('classbridge', secret) } };
}

describe('the SMS receiver in the product', () => {
  it('does not start without a secret, and says what to do', async () => {
    const { dataDir, store, secrets } = setUp({ receiverTls: 'none' });
    const service = await startReceiverService({ store, secrets, dataDir, logger: silentLogger });
    expect(service.status).toMatchObject({ running: false, reason: expect.stringContaining('Get Secret') });
    store.close();
  });

  it('turns a complete KAMAR push into the current snapshot', async () => {
    const { store, start, changes, auth } = await kamarSetUp('push-secret-value');
    const service = await start();
    try {
      expect(service.status.running).toBe(true);
      const school = generateSchool({ seed: 5 });
      for (const message of kamarFullPush(school, { chunks: 3 })) {
        const reply = await post(service.status.url ?? '', JSON.stringify(message), auth);
        expect(reply.status).toBe(200);
      }
      expect(await waitFor(() => changes() === 1, 5000)).toBe(true);
      const snapshot = store.snapshot.read();
      expect(snapshot.people.filter((p) => p.role === 'student')).toHaveLength(school.students.length);
      expect(store.snapshot.meta()?.source).toMatch(/KAMAR full push \(3 parts\)/);
    } finally {
      await service.close();
      store.close();
    }
  });

  it('stays on this computer over plain HTTP unless an address is set', () => {
    const { store } = setUp({ receiverTls: 'none' });
    expect(receiverSettings(store.connections.list()[0] as SmsConnection).host).toBe('127.0.0.1');
    store.close();
  });

  it('keeps a generated certificate, so the fingerprint KAMAR accepted survives a restart', async () => {
    const { dataDir, store, secrets } = setUp({});
    await secrets.set('kamar', PUSH_SECRET, 's');
    const first = await startReceiverService({ store, secrets, dataDir, logger: silentLogger });
    await first.close();
    expect(first.status.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    // With a certificate and no address set it listens where KAMAR (on the school's server) can reach it,
    // and says the machine's address to type in, never the 0.0.0.0 it binds.
    expect(receiverSettings(store.connections.list()[0] as SmsConnection).host).toBe('0.0.0.0');
    expect(first.status.url).toMatch(/^https:\/\/[^/]+:\d+\/kamar$/);
    expect(first.status.url).not.toContain('0.0.0.0');
    expect(existsSync(join(dataDir, 'receiver-cert.pem'))).toBe(true);
    expect(await secrets.listNames('kamar')).toEqual([PUSH_SECRET, 'receiver-key']);
    const second = await startReceiverService({ store, secrets, dataDir, logger: silentLogger });
    await second.close();
    expect(second.status.fingerprint).toBe(first.status.fingerprint);
    store.close();
  });

  it('imports an uploaded CSV export (providers without a direct link), and records a refused one as a failed run', async () => {
    const dataDir = tempDir();
    const store = openStore({ file: join(dataDir, 'cb.db') });
    store.connections.save(
      ConnectionSchema.parse({
        id: 'assembly',
        kind: 'sms',
        provider: 'assembly',
        name: 'Assembly',
        options: { receiverPort: 0, receiverTls: 'none' },
        csvMapping: COMBINED_CSV_MAPPING,
      }),
    );
    const secrets = new MemorySecretStore();
    await secrets.set('assembly', PUSH_SECRET, 'up-secret');
    let changes = 0;
    const service = await startReceiverService({
      store,
      secrets,
      dataDir,
      logger: silentLogger,
      onChanged: () => (changes += 1),
    });
    const upload = (body: string) =>
      post(`${new URL(service.status.url ?? '').origin}/upload/csv`, body, {
        authorization: basic('classbridge', 'up-secret'),
        headers: { 'Content-Type': 'text/csv' },
      });
    try {
      const school = generateSchool({ seed: 9 });
      expect((await upload(combinedCsv(school))).status).toBeLessThan(300);
      expect(await waitFor(() => changes === 1, 5000)).toBe(true);
      expect(store.snapshot.read().people.filter((p) => p.role === 'student')).toHaveLength(school.students.length);

      expect((await upload('"unbalanced,quote\n1,2\n')).status).toBeLessThan(300);
      expect(await waitFor(() => changes === 2, 5000)).toBe(true);
      expect(store.snapshot.read().people.filter((p) => p.role === 'student')).toHaveLength(school.students.length);
      const [run] = store.runs.list({ limit: 1 });
      expect(run).toMatchObject({ outcome: 'failed' });
      expect(store.runs.listErrors()[0]?.message).toMatch(/line 1/);
    } finally {
      await service.close();
      store.close();
    }
  });

  it('a part push after a restart builds on the stored snapshot: a student in two classes of one subject keeps both', async () => {
    const { store, start, changes, auth } = await kamarSetUp('k-secret');
    const full = kamarSampleFullPush();
    const first = await start();
    try {
      expect((await post(first.status.url ?? '', JSON.stringify(full), auth)).status).toBe(200);
      expect(await waitFor(() => changes() === 1, 5000)).toBe(true);
    } finally {
      await first.close();
    }
    const classesOf = (personSmsId: string) =>
      store.snapshot
        .read()
        .enrolments.filter((e) => e.personSmsId === personSmsId && (e.groupSmsIds?.length ?? 0) > 1)
        .map((e) => e.groupSmsIds);
    const before = classesOf('12345');
    expect(before).toHaveLength(1);
    expect(before[0]).toHaveLength(2);
    const teacherBefore = classesOf('TWA');
    expect(teacherBefore.map((classes) => classes?.length).sort()).toEqual([2, 3]);

    // The receiver starts again (the app restarted) and KAMAR sends only the student whose name changed.
    const second = await start();
    try {
      const part = structuredClone(full) as { SMSDirectoryData: Record<string, unknown> };
      const data = part.SMSDirectoryData;
      data['sync'] = 'part';
      delete data['staff'];
      const students = data['students'] as { data: { firstname: string }[] };
      students.data[0]!.firstname = 'Tess';
      expect((await post(second.status.url ?? '', JSON.stringify(part), auth)).status).toBe(200);
      expect(await waitFor(() => changes() === 2, 5000)).toBe(true);
      const snapshot = store.snapshot.read();
      expect(snapshot.people.find((p) => p.smsId === '12345')?.givenName).toBe('Tess');
      expect(classesOf('12345')).toEqual(before);
      // The teacher, not in the part push, keeps every class of both subjects from the stored roll.
      expect(classesOf('TWA')).toEqual(teacherBefore);
      expect(store.runs.list({ limit: 1 })[0]).toMatchObject({ outcome: 'ok' });
    } finally {
      await second.close();
      store.close();
    }
  });

  it('a push KAMAR cannot complete is answered with an error and recorded as a failed SMS import run', async () => {
    const { store, start, changes, auth } = await kamarSetUp('k-secret');
    const service = await start();
    try {
      // A part push on a fresh install: there is no full roll to apply it to.
      const part = structuredClone(kamarSampleFullPush()) as { SMSDirectoryData: Record<string, unknown> };
      part.SMSDirectoryData['sync'] = 'part';
      const reply = await post(service.status.url ?? '', JSON.stringify(part), auth);
      expect(reply.status).toBe(200); // KAMAR reads the answer's body, not the HTTP status
      expect(answerOf(reply).error).not.toBe(0);
      expect(await waitFor(() => changes() === 1, 5000)).toBe(true);
      const [run] = store.runs.list({ limit: 1 });
      expect(run).toMatchObject({ outcome: 'failed', part: 'upload', connectionId: null });
      expect(run?.message).toMatch(/full sync/);
      expect(store.snapshot.meta()).toBeUndefined();
    } finally {
      await service.close();
      store.close();
    }
  });
});
