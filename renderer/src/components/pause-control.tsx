import { useSetPaused } from '../api/queries';

/**
 * Pausing stops every scheduled run until resumed; manual runs are the admin's own choice. The button says
 * what it will do, and the outcome of a failed toggle is announced next to it.
 */
export function PauseControl({ paused }: { paused: boolean }) {
  const setPaused = useSetPaused();
  return (
    <span className="pause-control">
      <button
        type="button"
        className={paused ? 'button-primary' : undefined}
        disabled={setPaused.isPending}
        onClick={() => setPaused.mutate(!paused)}
      >
        {paused ? 'Resume syncing' : 'Pause syncing'}
      </button>
      {setPaused.isError && (
        <span className="inline-error" role="alert">
          Could not {paused ? 'resume' : 'pause'}: {setPaused.error.message}
        </span>
      )}
    </span>
  );
}
