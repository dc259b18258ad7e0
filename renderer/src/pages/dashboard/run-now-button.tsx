import { useId } from 'react';

/**
 * A "run now" button. While it cannot be used it is disabled *and* says why next to it (tied to the
 * button with aria-describedby), so nobody is left guessing at a greyed-out control.
 */
export function RunNowButton({
  label,
  disabledReason,
  primary = false,
  onRun,
}: {
  label: string;
  /** Why the button cannot be used now; null when it can. */
  disabledReason: string | null;
  primary?: boolean;
  onRun: () => void;
}) {
  const reasonId = useId();
  return (
    <span className="run-now">
      <button
        type="button"
        className={primary ? 'button-primary' : undefined}
        disabled={disabledReason !== null}
        aria-describedby={disabledReason ? reasonId : undefined}
        onClick={onRun}
      >
        {label}
      </button>
      {disabledReason && (
        <span id={reasonId} className="run-now-reason muted">
          {disabledReason}
        </span>
      )}
    </span>
  );
}
