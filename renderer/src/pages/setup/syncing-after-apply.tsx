import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/api-context';
import { queryKeys } from '../../api/query-keys';

/**
 * After the first upload was applied: whether syncing now runs on its schedule. The wizard promised
 * to resume what it paused for the preview (the Apply does); syncing still paused for another reason
 * (paused before the set-up, or by a Save that was retried) is not resumed behind the admin's back:
 * the wizard says so and asks.
 */
export function SyncingAfterApply({ paused }: { paused: boolean }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const resume = useMutation({
    mutationFn: () => api.call('sync:setPaused', { paused: false }),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.status }),
        queryClient.invalidateQueries({ queryKey: queryKeys.settings }),
      ]),
  });
  if (!paused)
    return <p data-testid="syncing-after-apply">Syncing is on: the next upload and download run on their schedule.</p>;
  return (
    <div data-testid="syncing-after-apply" role="group" aria-labelledby="still-paused">
      <p id="still-paused">Syncing is still paused: nothing runs on its schedule until you resume it. Resume it now?</p>
      <button type="button" onClick={() => resume.mutate()} disabled={resume.isPending}>
        {resume.isPending ? 'Resuming…' : 'Resume syncing'}
      </button>
      {resume.isError ? (
        <p className="setup-error" role="alert">
          Syncing could not be resumed: {resume.error.message}
        </p>
      ) : null}
    </div>
  );
}
