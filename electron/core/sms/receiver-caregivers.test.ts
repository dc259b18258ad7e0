import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../adapters/contract';
import { basic, post, waitFor } from '../../../adapters/testing/sms-support/kamar';
import { generateSchool, kamarFullPush, withGuardians } from '../../../adapters/testing/sms-fixtures';
import { useTempDirs } from '../../test-support/temp';
import { ConnectionSchema } from '../model';
import { MemorySecretStore } from '../secrets';
import { openStore } from '../store/store';
import { PUSH_SECRET, startReceiverService } from './receiver-service';

/**
 * KAMAR caregivers in the product: the receiver keeps them (name, email, relationship, link) only while an
 * LMS connection's parents rule is on; otherwise the stored snapshot and the push spool hold none.
 */
const tempDir = useTempDirs();

async function pushWith(parentsRule: boolean) {
  const dataDir = tempDir();
  const store = openStore({ file: join(dataDir, 'cb.db') });
  store.connections.save(
    ConnectionSchema.parse({
      id: 'kamar',
      kind: 'sms',
      provider: 'kamar',
      name: 'KAMAR',
      options: { receiverPort: 0, receiverTls: 'none' },
    }),
  );
  store.connections.save(
    ConnectionSchema.parse({
      id: 'moodle',
      kind: 'lms',
      provider: 'moodle',
      name: 'Moodle',
      url: 'https://moodle.school.example',
      mapping: parentsRule ? { parents: { enabled: true, roleId: 9 } } : {},
    }),
  );
  const secrets = new MemorySecretStore();
  await secrets.set('kamar', PUSH_SECRET, 'push-secret-value');
  let changes = 0;
  const service = await startReceiverService({
    store,
    secrets,
    dataDir,
    logger: silentLogger,
    settleMs: 100,
    onChanged: () => (changes += 1),
  });
  const school = withGuardians(generateSchool({ seed: 5 }));
  try {
    for (const message of kamarFullPush(school, { chunks: 2 }))
      await post(service.status.url ?? '', JSON.stringify(message), {
        authorization: basic('classbridge', 'push-secret-value'),
      });
    expect(await waitFor(() => changes === 1, 5000)).toBe(true);
    return { snapshot: store.snapshot.read(), school };
  } finally {
    await service.close();
    store.close();
  }
}

describe('KAMAR caregivers and the parents rule', () => {
  it('an LMS connection with the rule on: guardians and links stored', async () => {
    const { snapshot, school } = await pushWith(true);
    expect(snapshot.guardians).toHaveLength(school.guardians!.length);
    expect(snapshot.guardianLinks).toHaveLength(school.students.length);
  });

  it('no connection with the rule on: nothing about caregivers is stored', async () => {
    const { snapshot } = await pushWith(false);
    expect(snapshot.guardians).toBeUndefined();
    expect(snapshot.guardianLinks).toBeUndefined();
  });
});
