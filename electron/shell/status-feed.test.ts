import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiResponse } from '../core/api/api-service';
import { status } from '../test-support/status-fixtures';
import { startStatusFeed, type StatusSource, type StatusUpdate } from './status-feed';

function fakeEngine(answer: () => ApiResponse = () => ({ ok: true, result: status() })) {
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const calls: string[] = [];
  const engine: StatusSource = {
    call: (method) => {
      calls.push(method);
      return Promise.resolve(answer());
    },
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const emit = (event: string) => {
    for (const l of listeners) l(event, {});
  };
  return { engine, calls, emit, listeners };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the status feed', () => {
  it('fetches at once, then once per burst of status:changed events, and every minute', async () => {
    const { engine, calls, emit } = fakeEngine();
    const updates: StatusUpdate[] = [];
    const feed = startStatusFeed(engine, (u) => updates.push(u));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['status:get']);

    // A running upload reports progress many times: one fetch per 250 ms burst.
    for (let i = 0; i < 10; i++) emit('status:changed');
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toHaveLength(2);
    emit('courses:changed');
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toHaveLength(2);

    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(3);
    expect(updates[0]?.status?.setUp).toBe(true);
    feed.stop();
  });

  it('only ever reads the status: it never starts a run (the scheduler runs missed runs once after a sleep)', async () => {
    const { engine, calls, emit } = fakeEngine();
    const feed = startStatusFeed(engine, () => undefined);
    // A long sleep: many polls and events due at once on wake-up, and the wake-up's own refresh.
    for (let i = 0; i < 5; i++) emit('status:changed');
    feed.refresh();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(new Set(calls)).toEqual(new Set(['status:get']));
    feed.stop();
  });

  it('passes on why the engine did not answer, and stops cleanly', async () => {
    const { engine, calls, listeners } = fakeEngine(() => ({
      ok: false,
      error: { code: 'unavailable', message: "ClassBridge's engine is not running." },
    }));
    const updates: StatusUpdate[] = [];
    const feed = startStatusFeed(engine, (u) => updates.push(u));
    await vi.advanceTimersByTimeAsync(0);
    expect(updates).toEqual([{ error: "ClassBridge's engine is not running." }]);
    feed.stop();
    expect(listeners.size).toBe(0);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toHaveLength(1);
  });
});
