/**
 * The engine's status for the tray, notifications and login item: fetched through the same Api the
 * window uses (`status:get`) when the engine says it changed, coalesced (a running upload reports
 * progress twice a second), and every minute — health turns *problem* by time passing alone.
 * Nothing here starts a run: after a sleep the engine's scheduler runs what was missed once.
 */
import type { ApiResponse } from '../core/api/api-service';
import type { Status } from '../core/contract/contract';

export interface StatusSource {
  call(method: string, input: unknown): Promise<ApiResponse>;
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
}

export interface StatusUpdate {
  status?: Status;
  /** Why status:get failed. */
  error?: string;
}

export interface StatusFeedOptions {
  debounceMs?: number;
  pollMs?: number;
}

export interface StatusFeed {
  /** Fetch now (e.g. after the computer wakes up, or an action from the tray). */
  refresh(): void;
  stop(): void;
}

export function startStatusFeed(
  engine: StatusSource,
  listener: (update: StatusUpdate) => void,
  options: StatusFeedOptions = {},
): StatusFeed {
  const debounceMs = options.debounceMs ?? 250;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = false;
  let again = false;
  let stopped = false;

  const fetchNow = async (): Promise<void> => {
    if (stopped) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    try {
      const response = await engine.call('status:get', {});
      if (stopped) return;
      listener(response.ok ? { status: response.result as Status } : { error: response.error.message });
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        void fetchNow();
      }
    }
  };
  const soon = (): void => {
    if (timer !== undefined || stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      void fetchNow();
    }, debounceMs);
  };
  const unsubscribe = engine.onEvent((event) => {
    if (event === 'status:changed' || event === 'settings:changed') soon();
  });
  const poll = setInterval(() => void fetchNow(), options.pollMs ?? 60_000);
  void fetchNow();
  return {
    refresh: () => void fetchNow(),
    stop() {
      stopped = true;
      unsubscribe();
      clearInterval(poll);
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
