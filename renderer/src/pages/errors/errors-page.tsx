import { useState } from 'react';
import { PART_LABELS, PARTS, type Part } from '../../../../electron/core/model';
import { useSyncErrors } from '../../api/queries';
import { EmptyState, EngineErrorState, LoadingState } from '../../components/query-states';
import { ErrorsTable } from './errors-table';

export function ErrorsPage() {
  const [part, setPart] = useState<Part | 'all'>('all');
  const errors = useSyncErrors(part === 'all' ? {} : { part });

  return (
    <>
      <h1 tabIndex={-1}>Errors</h1>
      <p className="page-intro">
        Records the LMS refused in a sync. The others went through; each of these says what to do about it.
      </p>
      <search className="filters">
        <label className="field">
          <span>Part</span>
          <select value={part} onChange={(event) => setPart(event.target.value as Part | 'all')}>
            <option value="all">All parts</option>
            {PARTS.map((id) => (
              <option key={id} value={id}>
                {PART_LABELS[id]}
              </option>
            ))}
          </select>
        </label>
      </search>

      {errors.isPending ? (
        <LoadingState>Loading sync errors…</LoadingState>
      ) : errors.isError ? (
        <EngineErrorState error={errors.error} onRetry={() => void errors.refetch()} />
      ) : errors.data.length === 0 ? (
        <EmptyState heading={part === 'all' ? 'No sync errors.' : `No sync errors in ${PART_LABELS[part]}.`} />
      ) : (
        <ErrorsTable errors={errors.data} />
      )}
    </>
  );
}
