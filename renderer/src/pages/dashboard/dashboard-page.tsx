import { useStatus } from '../../api/queries';
import { EngineErrorState, LoadingState } from '../../components/query-states';
import { NotSetUp } from './not-set-up';
import { StatusOverview } from './status-overview';

export function DashboardPage() {
  const status = useStatus();
  return (
    <>
      <h1 tabIndex={-1}>Dashboard</h1>
      {status.isPending ? (
        <LoadingState>Loading status…</LoadingState>
      ) : status.isError ? (
        <EngineErrorState error={status.error} onRetry={() => void status.refetch()} />
      ) : status.data.setUp ? (
        <StatusOverview status={status.data} />
      ) : (
        <NotSetUp />
      )}
    </>
  );
}
