import type { Store } from '../store/store';

/**
 * Another program may change the database while this engine serves (`classbridge config import`,
 * `import`, a second window's engine). SQLite's data_version moves only on other connections'
 * commits, so polling it is cheap and tells exactly that: `onChanged` then lets the UI refetch and
 * the receiver and schedules pick up new settings.
 */
export function watchDatabase(store: Store, onChanged: () => void, intervalMs = 2000): { close(): void } {
  let dataVersion = store.db.pragma('data_version', { simple: true });
  const timer = setInterval(() => {
    const now = store.db.pragma('data_version', { simple: true });
    if (now === dataVersion) return;
    dataVersion = now;
    onChanged();
  }, intervalMs);
  timer.unref();
  return { close: () => clearInterval(timer) };
}
