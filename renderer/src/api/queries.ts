import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ApiInput } from '../../../electron/core/contract/contract';
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

/** Errors grouped by cause, with the total the dashboard counts (errors:groups). */
export function useErrorGroups(input: ApiInput<'errors:groups'>) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.errorGroups(input),
    queryFn: () => api.call('errors:groups', input),
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

/** Saves a change to a few top-level settings (the rest as they are now). */
export function useSaveSettings() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (change: Partial<ApiInput<'settings:save'>>) => {
      const current = await api.call('settings:get', {});
      return api.call('settings:save', { ...current, ...change });
    },
    // The engine answers with what it saved: shown at once, so a control never flips back to the old
    // value while a refetch that started before the save is still on its way.
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.settings, saved);
      return queryClient.invalidateQueries({ queryKey: queryKeys.settings });
    },
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

// Progress, History and Errors (issue 6): runs, results and retries. Their keys live here because a
// finished run changes all of them; each list also refreshes itself on status:changed (see below).
const RUNS_KEY = ['runs'] as const;
const PROGRESS_KEY = ['progress'] as const;

/** Refetches `queryKey` (every filter under it) whenever the engine says a run finished or data changed. */
function useRefreshOnStatusChange(queryKey: QueryKey): void {
  const api = useApi();
  const queryClient = useQueryClient();
  // Callers pass the module-level constants above, so the subscription is made once.
  useEffect(
    () => api.on('status:changed', () => void queryClient.invalidateQueries({ queryKey })),
    [api, queryClient, queryKey],
  );
}

export function useRuns(input: ApiInput<'runs:list'>) {
  const api = useApi();
  useRefreshOnStatusChange(RUNS_KEY);
  return useQuery({
    queryKey: [...RUNS_KEY, input],
    queryFn: () => api.call('runs:list', input),
    placeholderData: keepPreviousData,
  });
}

export function useRunRepairs(runId: number, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: [...RUNS_KEY, 'repairs', runId],
    queryFn: () => api.call('runs:repairs', { runId }),
    enabled,
  });
}

export function useProgress(input: ApiInput<'progress:list'>) {
  const api = useApi();
  useRefreshOnStatusChange(PROGRESS_KEY);
  return useQuery({
    queryKey: [...PROGRESS_KEY, input],
    queryFn: () => api.call('progress:list', input),
    placeholderData: keepPreviousData,
  });
}

/** After a retry or a run, everything a run can change. */
function invalidateAfterRun(queryClient: ReturnType<typeof useQueryClient>) {
  return Promise.all(
    [queryKeys.status, queryKeys.errors, queryKeys.courses, RUNS_KEY, PROGRESS_KEY].map((queryKey) =>
      queryClient.invalidateQueries({ queryKey }),
    ),
  );
}

/** Sends one failed upload record again (errors:retry). */
export function useRetryError() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.call('errors:retry', { id }),
    onSettled: () => invalidateAfterRun(queryClient),
  });
}

/** Runs a whole part now for one LMS (sync:runNow), e.g. when one error cannot be retried alone. */
export function useRunPartNow() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ApiInput<'sync:runNow'>) => api.call('sync:runNow', input),
    onSettled: () => invalidateAfterRun(queryClient),
  });
}

// Held plans and run now (dashboard). The held-plan list sits under the status key, so every event that
// refreshes the status (a run held a plan, a decision was made) refreshes the review too.
const heldPlansKey = [...queryKeys.status, 'heldPlans'] as const;

export function useHeldPlans() {
  const api = useApi();
  return useQuery({ queryKey: heldPlansKey, queryFn: () => api.call('heldPlans:list', {}) });
}

type RunTarget = ApiInput<'sync:runNow'>['target'];

/** One key per target and LMS, so any component can tell that this run is under way (useIsMutating). */
export function runNowMutationKey(target: RunTarget, connectionId: string) {
  return ['sync:runNow', target, connectionId] as const;
}

export function useRunNow(target: RunTarget, connectionId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: runNowMutationKey(target, connectionId),
    mutationFn: () => api.call('sync:runNow', { target, connectionId }),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.status }),
        queryClient.invalidateQueries({ queryKey: queryKeys.errors }),
        queryClient.invalidateQueries({ queryKey: queryKeys.courses }),
      ]),
  });
}

export function decideHeldPlanMutationKey(connectionId: string) {
  return ['heldPlans:decide', connectionId] as const;
}

export function useDecideHeldPlan(connectionId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: decideHeldPlanMutationKey(connectionId),
    mutationFn: (input: ApiInput<'heldPlans:decide'>) => api.call('heldPlans:decide', input),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.status }),
        queryClient.invalidateQueries({ queryKey: queryKeys.errors }),
      ]),
  });
}

// The database's backups (Settings → Database). A restore swaps the database under the engine, so
// every cached answer is stale afterwards: all of them are refetched.
const backupsKey = ['database:backups'] as const;

export function useBackups() {
  const api = useApi();
  return useQuery({ queryKey: backupsKey, queryFn: () => api.call('database:backups', {}) });
}

export function useBackUpNow() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.call('database:backup', {}),
    onSettled: () => queryClient.invalidateQueries({ queryKey: backupsKey }),
  });
}

export function useRestoreBackup() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: string) => api.call('database:restore', { file }),
    onSettled: () => queryClient.invalidateQueries(),
  });
}
