import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/api-context';

/**
 * One quiet line about the desktop app's automatic updates (the last check, a download, or why a
 * check failed). The headless host has no updater and says so; nothing here ever shows as an error.
 */
export function UpdateStatusLine() {
  const api = useApi();
  const update = useQuery({
    queryKey: ['app', 'updateStatus'],
    queryFn: () => api.call('app:updateStatus', {}),
    // The updater works on its own; a slow poll keeps the line current while Settings is open.
    refetchInterval: 30_000,
    retry: false,
  });
  if (!update.data) return null;
  const { message, currentVersion, lastCheckedAt } = update.data;
  const version = currentVersion ? `Version ${currentVersion}. ` : '';
  const checked = lastCheckedAt ? ` Last checked ${new Date(lastCheckedAt).toLocaleString()}.` : '';
  return (
    <p className="muted" data-testid="update-status" aria-live="polite">
      Updates: {version}
      {message}
      {checked}
    </p>
  );
}
