import { apiEvents, type ApiEvent, type ApiEventPayload } from '../../../electron/core/contract/contract';

type AnyListener = (payload: never) => void;

/**
 * Listener bookkeeping shared by both transports. Each transport keeps one connection to the engine
 * (one EventSource, one preload subscription) and fans its events out through this hub; `onActiveChange`
 * lets it open that connection for the first listener and close it after the last.
 */
export interface EventHub {
  add<E extends ApiEvent>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void;
  /** Delivers a raw event from the transport; unknown names are ignored, odd payloads become {}. */
  deliver(event: string, payload: unknown): void;
  /** After a gap in the connection every listener should refetch, whatever it listens to. */
  deliverToAll(): void;
  listenedEvents(): ApiEvent[];
}

export function createEventHub(onActiveChange: (active: boolean) => void): EventHub {
  const listeners = new Map<ApiEvent, Set<AnyListener>>();
  let total = 0;

  function notify(event: ApiEvent, payload: unknown): void {
    const parsed = apiEvents[event].safeParse(payload);
    // Events only say "refetch this"; an unexpected payload must not swallow that signal.
    const value = (parsed.success ? parsed.data : {}) as never;
    for (const listener of [...(listeners.get(event) ?? [])]) listener(value);
  }

  return {
    add(event, listener) {
      const set = listeners.get(event) ?? new Set<AnyListener>();
      listeners.set(event, set);
      set.add(listener as AnyListener);
      total += 1;
      if (total === 1) onActiveChange(true);
      let removed = false;
      return () => {
        if (removed) return;
        removed = true;
        set.delete(listener as AnyListener);
        total -= 1;
        if (total === 0) onActiveChange(false);
      };
    },
    deliver(event, payload) {
      if (Object.hasOwn(apiEvents, event)) notify(event as ApiEvent, payload);
    },
    deliverToAll() {
      for (const event of listeners.keys()) notify(event, {});
    },
    listenedEvents() {
      return [...listeners.keys()];
    },
  };
}
