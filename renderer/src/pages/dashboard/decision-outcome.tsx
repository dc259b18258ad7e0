import { useMutationState } from '@tanstack/react-query';
import type { ApiInput, ApiOutput } from '../../../../electron/core/contract/contract';
import type { ApiError } from '../../../../electron/core/contract/errors';

type Decision = { status: string; data: ApiOutput<'heldPlans:decide'> | undefined; variables: unknown; error: unknown };

/**
 * How the admin's last decision on a held plan ended. It is read from react-query's mutation cache, not
 * from the banner that started it: the banner goes away as soon as the plan stops waiting, while an
 * approved upload may still be running.
 */
export function DecisionOutcome() {
  const decisions = useMutationState<Decision>({
    filters: { mutationKey: ['heldPlans:decide'] },
    select: (mutation) => ({
      status: mutation.state.status,
      data: mutation.state.data as ApiOutput<'heldPlans:decide'> | undefined,
      variables: mutation.state.variables,
      error: mutation.state.error,
    }),
  });
  const last = decisions.at(-1);
  const decision = (last?.variables as ApiInput<'heldPlans:decide'> | undefined)?.decision;
  return (
    <div role="status" className="decision-outcome">
      {last?.status === 'pending' && decision === 'approve' && (
        <p className="notice">Approved: the upload is applying the reviewed removals now…</p>
      )}
      {last?.status === 'success' && last.data && <DecisionResult data={last.data} />}
      {last?.status === 'error' && (
        <p className="notice notice-problem">
          Your decision could not be recorded: {(last.error as ApiError | Error | null)?.message ?? 'unknown error'}
        </p>
      )}
    </div>
  );
}

/** How the upload after a decision went, in the tone it deserves: records that failed are never a green tick. */
export type DecisionTone = 'ok' | 'warning' | 'problem';

export function decisionTone(data: Pick<ApiOutput<'heldPlans:decide'>, 'runs'>): DecisionTone {
  if (data.runs.some((run) => run.outcome === 'failed')) return 'problem';
  // A run that applied most of the plan but not every record ("partial"), or one still held again.
  if (data.runs.some((run) => run.outcome !== 'ok')) return 'warning';
  return 'ok';
}

const TONE = {
  ok: { className: 'notice-ok', icon: '✓' },
  warning: { className: 'notice-warning', icon: '!' },
  problem: { className: 'notice-problem', icon: '✕' },
} as const;

function DecisionResult({ data }: { data: ApiOutput<'heldPlans:decide'> }) {
  const tone = decisionTone(data);
  return (
    <div className={`notice ${TONE[tone].className}`}>
      <p>
        <span className="notice-icon" aria-hidden="true">
          {TONE[tone].icon}
        </span>
        {data.message}
        {data.runs.map((run) => ` ${run.message}`).join('')}
      </p>
      {tone !== 'ok' && (
        <p>
          {tone === 'problem'
            ? 'The upload did not finish. The card below says why and what to do; nothing it did not reach was changed.'
            : 'Some records were not synced.'}{' '}
          <a href="#/errors">Errors</a> lists each record that failed, why, and what to do; fix the cause and retry them
          there.
        </p>
      )}
    </div>
  );
}
