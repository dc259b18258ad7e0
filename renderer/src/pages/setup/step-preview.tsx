import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiOutput } from '../../../../electron/core/contract/contract';
import { useApi } from '../../api/api-context';
import { queryKeys } from '../../api/query-keys';
import { routeHref } from '../../app/routes';
import { EngineErrorState, LoadingState } from '../../components/query-states';
import type { LmsDraft } from './draft';
import { SourceReadNotice } from './source-read-notice';
import { sourceRead } from './source-read';
import { SyncingAfterApply } from './syncing-after-apply';
import type { WizardStepProps } from './wizard-context';
import { EngineText } from '../../components/engine-text';
import { PreviewRecords } from '../../components/preview-records';
import { FirstUploadProgress } from './first-upload-progress';

type Preview = ApiOutput<'sync:preview'>;

const COUNT_LABELS: Record<string, string> = {
  createUsers: 'Users to create',
  updateUsers: 'Users to update',
  reactivateUsers: 'Users to reactivate',
  suspendUsers: 'Users to suspend',
  createCourses: 'Courses to create',
  updateCourses: 'Courses to update',
  createGroups: 'Groups to create',
  enrol: 'Enrolments to make',
  addGroupMembers: 'Group members to add',
  suspendEnrolments: 'Enrolments to suspend',
  unenrol: 'Enrolments to remove',
  removeGroupMembers: 'Group members to remove',
};

const OUTCOME_WORDS: Record<string, string> = {
  ok: 'uploaded',
  partial: 'partly uploaded (some records failed: see Errors)',
  failed: 'failed',
  held: 'held for your approval on the Dashboard',
};

export function PreviewStep(
  props: WizardStepProps & { pausedForPreview: boolean; onFinished: (message: string) => void },
) {
  const { draft, status, pausedForPreview, onFinished } = props;
  const api = useApi();
  const queryClient = useQueryClient();
  // Only data read from the SMS as saved now: never the previous SMS's snapshot (source-read.ts).
  const read = sourceRead(status, draft.sourceSwitch);
  const snapshot = read.state === 'current' ? read.snapshot : null;

  const apply = useMutation({
    mutationFn: async () => {
      const runs = await api.call('sync:runNow', { target: 'upload' });
      if (pausedForPreview) await api.call('sync:setPaused', { paused: false });
      return runs;
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.status }),
        queryClient.invalidateQueries({ queryKey: queryKeys.settings }),
        queryClient.invalidateQueries({ queryKey: ['setup-preview'] }),
      ]),
  });

  function notNow() {
    onFinished(
      pausedForPreview || status.paused
        ? 'Saved. Syncing stays paused until you resume it on the Dashboard, so nothing is uploaded yet.'
        : 'Saved. The next upload runs on its schedule.',
    );
    window.location.hash = routeHref('dashboard');
  }

  return (
    <>
      <p className="notice notice-ok" role="status">
        <span>
          <span className="notice-icon" aria-hidden="true">
            ✓
          </span>
          Saved.
          {pausedForPreview ? ' Syncing is paused until you apply the first upload, so nothing has been sent yet.' : ''}
        </span>
      </p>
      {!draft.useSms ? (
        <p>There is no SMS, so there is nothing to upload. ClassBridge keeps the LMS course list and results.</p>
      ) : !snapshot ? (
        <SourceReadNotice {...props} read={read} />
      ) : (
        <p>
          SMS data: {snapshot.source}, with {snapshot.counts.people} people, {snapshot.counts.courses} courses and{' '}
          {snapshot.counts.enrolments} enrolments.
        </p>
      )}
      {draft.useSms && snapshot
        ? draft.lms.map((lms) => <LmsPreview key={lms.key} lms={lms} importedAt={snapshot.importedAt} />)
        : null}

      {apply.isPending ? <FirstUploadProgress status={status} lms={draft.lms} /> : null}
      {apply.isSuccess ? (
        <div
          className={`notice setup-test-result ${apply.data.every((run) => run.outcome === 'ok') ? 'notice-ok' : 'notice-warning'}`}
          role="status"
          aria-label="First upload"
        >
          <ul className="plain-list">
            {apply.data.map((run) => {
              const name = draft.lms.find((l) => l.id === run.connectionId)?.name ?? run.connectionId;
              return (
                <li key={run.connectionId}>
                  <strong>{name}:</strong> {OUTCOME_WORDS[run.outcome] ?? run.outcome}. {run.message}
                </li>
              );
            })}
          </ul>
          <SyncingAfterApply paused={status.paused} />
          <a href={routeHref('dashboard')} onClick={() => onFinished('')}>
            Go to the Dashboard
          </a>
        </div>
      ) : null}
      {apply.isError ? (
        <div className="notice notice-problem" role="alert">
          <p>The upload did not start: {apply.error.message}</p>
        </div>
      ) : null}
      {!apply.isSuccess ? (
        <div className="toolbar">
          <button
            type="button"
            className="button-primary"
            disabled={apply.isPending || !draft.useSms || !snapshot}
            onClick={() => apply.mutate()}
          >
            {apply.isPending ? 'Uploading…' : 'Apply'}
          </button>
          <button type="button" onClick={notNow} disabled={apply.isPending}>
            Not now
          </button>
        </div>
      ) : null}
    </>
  );
}

function LmsPreview({ lms, importedAt }: { lms: LmsDraft; importedAt: string }) {
  const api = useApi();
  const preview = useQuery({
    // The import time is part of the key: a new snapshot means a new dry run.
    queryKey: ['setup-preview', lms.id, importedAt],
    queryFn: () => api.call('sync:preview', { connectionId: lms.id }),
  });
  return (
    <section className="panel" aria-labelledby={`preview-${lms.key}`}>
      <h3 id={`preview-${lms.key}`}>Dry run: {lms.name}</h3>
      {preview.isPending ? (
        <LoadingState>Working out the first upload…</LoadingState>
      ) : preview.isError ? (
        <EngineErrorState error={preview.error} onRetry={() => void preview.refetch()} />
      ) : (
        <>
          <PreviewDetails preview={preview.data} />
          <PreviewRecords records={preview.data.records} lmsName={lms.name} />
        </>
      )}
    </section>
  );
}

/** The sign-in method and the mapped profile fields on the first people (sign-in-fields.tsx sets them). */
function AccountsPreview({ accounts }: { accounts: NonNullable<Preview['accounts']> }) {
  const withFields = accounts.people.some((p) => Object.keys(p.fields).length > 0);
  return (
    <>
      <p>
        <strong>New accounts sign in with:</strong> {accounts.signIn}
      </p>
      {withFields ? (
        <>
          <h4>Profile fields of the first people</h4>
          <ul aria-label="Profile fields of the first people">
            {accounts.people.map((p) => (
              <li key={p.key}>
                {p.name} —{' '}
                {Object.entries(p.fields)
                  .map(([k, v]) => `${k}: ${v}`)
                  .join(', ') || 'no value in the SMS'}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

function PreviewDetails({ preview }: { preview: Preview }) {
  const counts = Object.entries(preview.counts).filter(([kind, n]) => n > 0 && COUNT_LABELS[kind]);
  const samples = preview.samples as Record<string, { key: string; record: Record<string, unknown> }[]>;
  const users = samples.createUsers ?? [];
  return (
    <>
      <p className="setup-summary">{preview.summary}</p>
      {counts.length > 0 ? (
        <dl className="settings-list">
          {counts.map(([kind, n]) => (
            <div key={kind} className="setup-count">
              <dt>{COUNT_LABELS[kind]}</dt>
              <dd>{new Intl.NumberFormat('en').format(n)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {users.length > 0 ? (
        <>
          <h4>First users it would create</h4>
          <ul>
            {users.map((user) => (
              <li key={user.key}>
                {String(user.record.firstname ?? '')} {String(user.record.lastname ?? '')} —{' '}
                <code>{String(user.record.username ?? '')}</code>
                {user.record.email ? `, ${String(user.record.email)}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {preview.names && preview.names.length > 0 ? (
        <>
          <h4>Names from the templates (first records)</h4>
          <ul>
            {preview.names.map((n) => (
              <li key={`${n.kind}-${n.key}`}>
                {n.name} ({n.key}) —{' '}
                {n.error ? (
                  <span className="setup-error">{n.error}</span>
                ) : (
                  Object.entries(n.values).map(([k, v], i) => (
                    <span key={k}>
                      {i > 0 ? ', ' : ''}
                      {k} <code>{v}</code>
                    </span>
                  ))
                )}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {preview.accounts ? <AccountsPreview accounts={preview.accounts} /> : null}
      {preview.errors.length > 0 ? (
        <>
          <h4>Records that cannot be synced until fixed (first {preview.errors.length})</h4>
          <ul>
            {preview.errors.map((error) => (
              <li key={`${error.recordKind}-${error.recordKey}-${error.field ?? ''}`}>
                <EngineText text={error.message} />{' '}
                <span className="setup-fix">
                  Fix: <EngineText text={error.fix} />
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {preview.removals.held && preview.removals.message ? (
        <p className="notice notice-warning">{preview.removals.message}</p>
      ) : null}
      {preview.lifecycle?.pause && !preview.removals.held ? (
        <p className="notice">Removals held: {preview.lifecycle.pause.label}.</p>
      ) : null}
    </>
  );
}
