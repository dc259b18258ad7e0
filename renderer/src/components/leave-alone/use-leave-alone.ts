import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ApiInput } from '../../../../electron/core/contract/contract';
import { useApi } from '../../api/api-context';
import { queryKeys } from '../../api/query-keys';

const LEAVE_ALONE_KEY = ['leaveAlone'] as const;

/** Every leave-alone mark (people and courses, every LMS connection), refreshed when the engine says so. */
export function useLeaveAloneMarks() {
  const api = useApi();
  const queryClient = useQueryClient();
  useEffect(
    () => api.on('status:changed', () => void queryClient.invalidateQueries({ queryKey: LEAVE_ALONE_KEY })),
    [api, queryClient],
  );
  return useQuery({ queryKey: LEAVE_ALONE_KEY, queryFn: () => api.call('leaveAlone:list', {}) });
}

/** Marks a person or course left alone, or lifts the mark; the course list and the marks refresh. */
export function useSetLeaveAlone() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ApiInput<'leaveAlone:set'>) => api.call('leaveAlone:set', input),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: LEAVE_ALONE_KEY }),
        queryClient.invalidateQueries({ queryKey: queryKeys.courses }),
      ]),
  });
}
