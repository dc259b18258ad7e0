import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiInput } from '../../../electron/core/api/contract';
import { useApi } from './api-context';
import { queryKeys } from './query-keys';

export function useStatus() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.status, queryFn: () => api.call('status:get', {}) });
}

export function useSettings() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => api.call('settings:get', {}) });
}

export function useConnections() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.connections, queryFn: () => api.call('connections:list', {}) });
}

export function useCourses(input: ApiInput<'courses:list'>) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.coursesList(input),
    queryFn: () => api.call('courses:list', input),
    // Keep the table on screen while a new search is fetched instead of flashing "Loading".
    placeholderData: keepPreviousData,
  });
}

export function useSyncErrors(input: ApiInput<'errors:list'>) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.errorsList(input),
    queryFn: () => api.call('errors:list', input),
    placeholderData: keepPreviousData,
  });
}

export function useSetPaused() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (paused: boolean) => api.call('sync:setPaused', { paused }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.status }),
        queryClient.invalidateQueries({ queryKey: queryKeys.settings }),
      ]),
  });
}

export function useSetCourseState() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ApiInput<'courses:setState'>) => api.call('courses:setState', input),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.courses }),
        queryClient.invalidateQueries({ queryKey: queryKeys.status }),
      ]),
  });
}
