import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsImportError } from '../../contract';
import { kamarFullPush } from '../../testing/sms-fixtures/kamar';
import { generateSchool } from '../../testing/sms-fixtures/school';
import { createKamarAdapter } from './adapter';
import { startKamarReceiver, type KamarReceiver } from './receiver';
import { basic, post } from '../../testing/sms-support/kamar';

/** Values shaped like KAMAR messages, so the fuzzer reaches the record readers, not just the envelope. */
const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(20260615),
);
const value = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), scalar, { maxKeys: 3 }),
);
const group = fc.record(
  {
    type: fc.oneof(fc.constantFrom('class', 'group', 'department'), value),
    subject: value,
    coreoption: value,
  },
  { requiredKeys: [] },
);
const person = fc.record(
  {
    id: value,
    firstname: value,
    lastname: value,
    email: value,
    username: value,
    nsn: value,
    yearlevel: value,
    leavingdate: value,
    groups: fc.oneof(fc.array(fc.oneof(group, value), { maxLength: 4 }), value),
  },
  { requiredKeys: [] },
);
const block = fc.oneof(
  fc.record(
    { count: fc.oneof(fc.nat(5), value), data: fc.oneof(fc.array(person, { maxLength: 4 }), value) },
    { requiredKeys: [] },
  ),
  value,
);
const message = fc.oneof(
  fc.record({
    SMSDirectoryData: fc.record(
      {
        sync: fc.oneof(fc.constantFrom('full', 'part', 'check', 'attendance', 'FULL'), value),
        datetime: fc.oneof(fc.constant(20260615093000), value),
        students: block,
        staff: block,
        subjects: fc.oneof(
          fc.record({ data: fc.array(fc.record({ id: value, name: value }, { requiredKeys: [] }), { maxLength: 3 }) }),
          value,
        ),
      },
      { requiredKeys: [] },
    ),
  }),
  fc.jsonValue({ maxDepth: 4 }),
  fc.string({ maxLength: 200 }),
);

const school = generateSchool({ seed: 5 });
const [validChunk] = kamarFullPush(school);

describe('fuzz', () => {
  it('the parser only ever throws SmsImportError', { timeout: 30_000 }, async () => {
    const adapter = createKamarAdapter();
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 3 }), fc.boolean(), async (payloads, withValid) => {
        try {
          await adapter.import({ kind: 'payloads', payloads: withValid ? [validChunk, ...payloads] : payloads });
        } catch (error) {
          if (!(error instanceof SmsImportError)) throw error;
        }
      }),
      { numRuns: 200 },
    );
  });

  describe('receiver', () => {
    let receiver: KamarReceiver;
    beforeAll(async () => {
      receiver = await startKamarReceiver({
        tls: { kind: 'none', allowInsecure: false },
        username: 'kamar',
        secret: 'fuzz',
        settleMs: 20,
        maxBodyBytes: 64 * 1024,
      });
    });
    afterAll(() => receiver.close());

    it('random JSON bodies never crash it: always a documented answer', { timeout: 60_000 }, async () => {
      const documented = new Set([0, 401, 413, 422]);
      await fc.assert(
        fc.asyncProperty(fc.oneof(message, fc.jsonValue({ maxDepth: 3 })), async (body) => {
          const text = typeof body === 'string' ? body : JSON.stringify(body);
          const reply = await post(receiver.url, text ?? '', { authorization: basic('kamar', 'fuzz') });
          expect(reply.status).toBe(200);
          const error = reply.json.SMSDirectoryData?.error;
          expect(documented.has(error as number)).toBe(true);
          expect(typeof reply.json.SMSDirectoryData?.result).toBe('string');
        }),
        { numRuns: 200 },
      );
      // Still serving after all of it.
      const check = await post(receiver.url, JSON.stringify({ SMSDirectoryData: { sync: 'check' } }), {
        authorization: basic('kamar', 'fuzz'),
      });
      expect(check.json.SMSDirectoryData?.status).toBe('Ready');
    });
  });
});
