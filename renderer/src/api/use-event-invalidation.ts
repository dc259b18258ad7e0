import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ApiEvent } from '../../../electron/core/contract/contract';
import { useApi } from './api-context';
import { queryKeys } from './query-keys';

/**
 * Which caches each engine event makes stale. A finished run changes the status and may add or resolve
 * sync errors (there is no separate errors event), so status:changed refreshes both.
 */
const STALE_AFTER: Record<ApiEvent, readonly QueryKey[]> = {
  'status:changed': [queryKeys.status, queryKeys.errors],
  'settings:changed': [queryKeys.settings, queryKeys.status, queryKeys.connections],
  'courses:changed': [queryKeys.courses, queryKeys.status],
  // A run now waits for another process writing to the same LMS: the status shows it running.
  'sync:waiting': [queryKeys.status],
};

/** Subscribes once, for the whole app, and keeps react-query's caches in step with the engine. */
export function useEventInvalidation(): void {
  const api = useApi();
  const queryClient = useQueryClient();
  useEffect(() => {
    const unsubscribes = (Object.keys(STALE_AFTER) as ApiEvent[]).map((event) =>
      api.on(event, () => {
        for (const queryKey of STALE_AFTER[event]) void queryClient.invalidateQueries({ queryKey });
      }),
    );
    return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
  }, [api, queryClient]);
}
