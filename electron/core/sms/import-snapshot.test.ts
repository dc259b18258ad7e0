import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SmsImportError, type SmsAdapter, type SmsSnapshot } from '../../../adapters/contract';
import { useTempDirs } from '../../test-support/temp';
import { openStore } from '../store/store';
import { importSmsSource } from './import-snapshot';

// Logic of storing an import, with a stand-in adapter; the real readers are tested on real files
// in adapters/sms/*, and end to end through `classbridge import` / `check`.
const tempDir = useTempDirs();
const adapterReturning = (snapshot: SmsSnapshot | Error): SmsAdapter => ({
  describe: () => ({ provider: 'test', capabilities: { pull: false, push: false, file: true, resultsWriteBack: [] } }),
  import: async () => {
    if (snapshot instanceof Error) throw snapshot;
    return {
      snapshot,
      warnings: [{ message: 'unknown column "Fav colour"', file: 'a.csv', line: 1 }],
      description: { provider: 'test', capabilities: { pull: false, push: false, file: true, resultsWriteBack: [] } },
    };
  },
});
const good: SmsSnapshot = {
  people: [
    { smsId: '1', role: 'student', givenName: 'Aroha', familyName: 'Ngata', active: true, extra: { nsn: '123' } },
  ],
  courses: [{ smsId: 'C1', code: '10MAT', name: 'Maths' }],
  groups: [],
  enrolments: [{ personSmsId: '1', courseSmsId: 'C1', role: 'student', active: true }],
};

describe('importing an SMS source', () => {
  it('stores the snapshot and passes on the warnings', async () => {
    const store = openStore({ file: join(tempDir(), 'cb.db') });
    const { meta, warnings } = await importSmsSource(
      store,
      adapterReturning(good),
      { kind: 'path', path: '/x' },
      'csv /x',
    );
    expect(meta.counts).toEqual({ people: 1, courses: 1, groups: 0, enrolments: 1 });
    expect(warnings).toHaveLength(1);
    expect(store.snapshot.read().people[0]?.givenName).toBe('Aroha');
    store.close();
  });

  it('keeps the previous snapshot when the source is refused or breaks the schema', async () => {
    const store = openStore({ file: join(tempDir(), 'cb.db') });
    await importSmsSource(store, adapterReturning(good), { kind: 'path', path: '/x' }, 'first');
    const refused = new SmsImportError('format', 'bad date', { file: 'NAT00080.txt', line: 3, field: 'Date of birth' });
    await expect(
      importSmsSource(store, adapterReturning(refused), { kind: 'path', path: '/y' }, 'second'),
    ).rejects.toBe(refused);
    const broken = { ...good, people: [{ ...good.people[0], smsId: '' }] } as SmsSnapshot;
    await expect(
      importSmsSource(store, adapterReturning(broken), { kind: 'path', path: '/z' }, 'third'),
    ).rejects.toBeInstanceOf(SmsImportError);
    expect(store.snapshot.meta()?.source).toBe('first');
    expect(store.snapshot.read().people).toHaveLength(1);
    store.close();
  });
});
