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
      {last?.status === 'success' && last.data && (
        <div className={`notice ${runsFailed(last.data) ? 'notice-problem' : 'notice-ok'}`}>
          <p>
            <span className="notice-icon" aria-hidden="true">
              {runsFailed(last.data) ? '✕' : '✓'}
            </span>
            {last.data.message}
            {last.data.runs.map((run) => ` ${run.message}`).join('')}
          </p>
        </div>
      )}
      {last?.status === 'error' && (
        <p className="notice notice-problem">
          Your decision could not be recorded: {(last.error as ApiError | Error | null)?.message ?? 'unknown error'}
        </p>
      )}
    </div>
  );
}

function runsFailed(data: ApiOutput<'heldPlans:decide'>): boolean {
  return data.runs.some((run) => run.outcome === 'failed');
}
