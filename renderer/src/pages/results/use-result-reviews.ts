import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ApiInput } from '../../../../electron/core/contract/contract';
import { useApi } from '../../api/api-context';
import { queryKeys } from '../../api/query-keys';

const REVIEWS_KEY = ['results:pending'] as const;

/** Results waiting for a person (results:pending), refreshed whenever the engine reports a change. */
export function useResultReviews(input: ApiInput<'results:pending'>) {
  const api = useApi();
  const queryClient = useQueryClient();
  useEffect(
    () => api.on('status:changed', () => void queryClient.invalidateQueries({ queryKey: REVIEWS_KEY })),
    [api, queryClient],
  );
  return useQuery({
    queryKey: [...REVIEWS_KEY, input],
    queryFn: () => api.call('results:pending', input),
    placeholderData: keepPreviousData,
  });
}

/** Accept, hold or keep the SMS's value (results:decide); the list refreshes after. */
export function useDecideResults() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ApiInput<'results:decide'>) => api.call('results:decide', input),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: REVIEWS_KEY }),
        queryClient.invalidateQueries({ queryKey: queryKeys.status }),
      ]),
  });
}

/** Runs the results part now for one LMS (download, then delivery of what was accepted). */
export function useDeliverNow() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (connectionId: string) => api.call('sync:runNow', { target: 'download', connectionId }),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: REVIEWS_KEY }),
        queryClient.invalidateQueries({ queryKey: queryKeys.status }),
        queryClient.invalidateQueries({ queryKey: queryKeys.errors }),
      ]),
  });
}
