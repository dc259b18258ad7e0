/**
 * KAMAR caregivers (caregivers.ts) through the real receiver over HTTP: read, spooled and stored only
 * with the `caregivers` option (a parents rule on), then only ref, name, email, relationship and status;
 * without it, as before, none is asked for, spooled or stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { kamarCheckMessage, kamarFullPush, kamarPartPush } from '../../testing/sms-fixtures/kamar';
import { generateSchool } from '../../testing/sms-fixtures/school';
import { withGuardians } from '../../testing/sms-fixtures/guardians';
import type { KamarReceiver, KamarReceiverOptions } from './receiver';
import type { KamarSpool, SpooledChunk, SpooledRun } from './spool';
import { answerOf, basic, post, startRecordingReceiver, waitFor } from '../../testing/sms-support/kamar';

const school = withGuardians(generateSchool({ seed: 7 }));
const guardians = school.guardians!;
const AUTH = basic('kamar', 's3cret-value');
let receiver: KamarReceiver | undefined;

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

/** A spool that keeps the chunk bodies in memory, to see what would be written to the database. */
function memorySpool(): KamarSpool & { bodies: string[] } {
  const bodies: string[] = [];
  return {
    bodies,
    append: (chunk: SpooledChunk) => void bodies.push(chunk.body),
    markFailed: () => undefined,
    runs: (): SpooledRun[] => [],
    remove: () => undefined,
  };
}

async function start(extra: Partial<KamarReceiverOptions> = {}) {
  const spool = memorySpool();
  const started = await startRecordingReceiver({
    host: '127.0.0.1',
    secret: 's3cret-value',
    settleMs: 100,
    spool,
    ...extra,
  });
  receiver = started.receiver;
  return { ...started, spool };
}

const send = (url: string, message: unknown) => post(url, JSON.stringify(message), { authorization: AUTH });

describe('KAMAR caregivers', () => {
  it('with a parents rule on: asked for, kept as guardians and links, mobile never spooled', async () => {
    const { url, collector, spool } = await start({ caregivers: true });
    const check = answerOf(await send(url, kamarCheckMessage(school)));
    const students = (check.options as Record<string, { fields: { optional: string } }>).students!;
    expect(students.fields.optional).toContain('caregiver.email');
    for (const chunk of kamarFullPush(school, { chunks: 2 })) await send(url, chunk);
    expect(await waitFor(() => collector.results.length === 1)).toBe(true);
    const snapshot = collector.results[0]!.snapshot;
    expect(snapshot.guardians).toHaveLength(guardians.length);
    const first = guardians[0]!;
    expect(snapshot.guardians).toContainEqual({
      smsId: 'cg-5000',
      givenName: first.givenName,
      familyName: first.familyName,
      email: first.email,
      relationship: first.relationship,
    });
    const links = snapshot.guardianLinks!.map((l) => `${l.guardianSmsId}>${l.childSmsId}`).sort();
    const expected = guardians.flatMap((g, i) => g.studentIds.map((s) => `cg-${5000 + i}>${s}`)).sort();
    expect(links).toEqual(expected);
    // A caregiver of two children is one guardian.
    expect(guardians.some((g) => g.studentIds.length === 2)).toBe(true);
    const spooled = spool.bodies.join('\n');
    expect(spooled).toContain(first.email);
    expect(spooled).not.toContain('021 555 0100');
    expect(spooled).not.toContain('"role":"Caregiver"');
  });

  it('a part push keeps the caregivers of the students it does not carry', async () => {
    const { url, collector } = await start({ caregivers: true });
    for (const chunk of kamarFullPush(school, { chunks: 1 })) await send(url, chunk);
    expect(await waitFor(() => collector.results.length === 1)).toBe(true);
    await send(url, kamarPartPush(school, [school.students[1]!]));
    expect(await waitFor(() => collector.results.length === 2)).toBe(true);
    expect(collector.results[1]!.snapshot.guardianLinks).toHaveLength(
      collector.results[0]!.snapshot.guardianLinks!.length,
    );
  });

  it('with no parents rule (the default): not asked for, not spooled, not stored', async () => {
    const { url, collector, spool } = await start();
    const check = answerOf(await send(url, kamarCheckMessage(school)));
    expect(JSON.stringify(check.options)).not.toContain('caregiver');
    for (const chunk of kamarFullPush(school, { chunks: 2 })) await send(url, chunk);
    expect(await waitFor(() => collector.results.length === 1)).toBe(true);
    expect(collector.results[0]!.snapshot.guardians).toBeUndefined();
    expect(spool.bodies.join('\n')).not.toContain('caregivers');
    expect(spool.bodies.join('\n')).not.toContain(guardians[0]!.email);
  });
});
