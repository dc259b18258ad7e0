import { describe, expect, it } from 'vitest';
import { LmsError, type ItemOutcome } from '../../contract';
import { planChunks, runBatches, TRUNCATION_NOTE, type BatchSpec } from './batch-runner';

// Unit tests of the batching logic with an in-memory "LMS"; the same behaviour is tested end to end
// against the Moodle simulator in moodle-adapter.test.ts.
type Item = { name: string; bad?: boolean };
const items = (n: number, bad: number[] = []): Item[] =>
  Array.from({ length: n }, (_, i) => ({ name: `u${i}`, bad: bad.includes(i) }));

function spec(
  list: Item[],
  send: BatchSpec<Item, string>['send'],
  extra: Partial<BatchSpec<Item, string>> = {},
): BatchSpec<Item, string> {
  return {
    operation: 'op',
    items: list,
    batchSize: 10,
    varBudget: 1000,
    maxAttempts: 3,
    encode: (i) => ({ name: i.name }),
    send,
    ...extra,
  };
}
const allOk = (chunk: readonly Item[]): (ItemOutcome<string> | undefined)[] =>
  chunk.map((i) => ({ ok: true, value: i.name }));

describe('chunk planning', () => {
  it('respects both the batch size and the form-variable budget', () => {
    const list = items(25);
    expect(
      planChunks(
        list.map((_, i) => i),
        { items: list, batchSize: 10, encode: (i) => ({ name: i.name }) },
        1000,
      ).map((c) => c.length),
    ).toEqual([10, 10, 5]);
    const wide = (i: Item) => ({ a: i.name, b: 1, c: 2, d: 3 }); // 4 vars each
    expect(
      planChunks(
        list.map((_, i) => i),
        { items: list, batchSize: 100, encode: wide },
        30,
      ).map((c) => c.length),
    ).toEqual([7, 7, 7, 4]);
  });
});

describe('runBatches', () => {
  it('isolates bad records in an all-or-nothing batch by splitting, and applies the rest', async () => {
    const sent: number[] = [];
    const result = await runBatches(
      spec(items(10, [3, 7]), async (chunk) => {
        sent.push(chunk.length);
        if (chunk.some((i) => i.bad))
          throw new LmsError('invalid-parameter', 'Invalid parameter value detected', { code: 'invalidparameter' });
        return allOk(chunk);
      }),
    );
    expect(result.outcomes.map((o) => o.ok)).toEqual([true, true, true, false, true, true, true, false, true, true]);
    expect(sent.length).toBeLessThan(15);
  });

  it('resends what a truncated answer left out, in smaller batches, and says so', async () => {
    let calls = 0;
    const result = await runBatches(
      spec(items(10), async (chunk) => {
        calls += 1;
        return calls === 1
          ? allOk(chunk)
              .slice(0, 6)
              .concat(new Array(chunk.length - 6).fill(undefined))
          : allOk(chunk);
      }),
    );
    expect(result.outcomes.every((o) => o.ok)).toBe(true);
    expect(result.notes).toEqual([TRUNCATION_NOTE]);
  });

  it('stops the run on an error about the connection', async () => {
    await expect(
      runBatches(spec(items(5), async () => Promise.reject(new LmsError('invalid-token', 'Invalid token')))),
    ).rejects.toMatchObject({ kind: 'invalid-token' });
  });

  it('after an ambiguous failure, reconciles and resends only what the LMS does not hold', async () => {
    const lms = new Set<string>();
    let first = true;
    const result = await runBatches(
      spec(
        items(4),
        async (chunk) => {
          for (const i of chunk) lms.add(i.name);
          if (first) {
            first = false;
            lms.delete('u3'); // the LMS applied part of it… then the connection dropped
            throw new LmsError('network', 'socket hang up', { retryable: true });
          }
          return allOk(chunk);
        },
        { reconcile: async (chunk) => chunk.map((i) => (lms.has(i.name) ? `found:${i.name}` : undefined)) },
      ),
    );
    expect(result.outcomes).toEqual([
      { ok: true, value: 'found:u0' },
      { ok: true, value: 'found:u1' },
      { ok: true, value: 'found:u2' },
      { ok: true, value: 'u3' },
    ]);
  });
});
