import { useIsMutating, useMutationState } from '@tanstack/react-query';
import type { ApiInput, ApiOutput, Status } from '../../../../electron/core/contract/contract';
import { PART_OF_SYNC_TARGET, type Part } from '../../../../electron/core/model';
import { decideHeldPlanMutationKey, runNowMutationKey, useRunNow } from '../../api/queries';
import type { SchoolClock } from '../../format/format-date-time';
import { PartCard, type PartStatus } from './part-card';
import { RunNowButton } from './run-now-button';
import { RunProgress } from './run-progress';

type LmsStatus = Status['lms'][number];
type RunTarget = ApiInput<'sync:runNow'>['target'];

/** The parts the dashboard shows a card for; reconcile only once it has run (it is an IT person's tool). */
const CARD_PARTS: readonly Part[] = ['upload', 'results', 'course-tracking'];

const TARGET_LABELS: Record<RunTarget, string> = {
  upload: 'Upload',
  download: 'Download',
  'course-tracking': 'Reading the course list',
  reconcile: 'Reconcile',
};

function isRunning(part: PartStatus | undefined): boolean {
  return part?.health === 'running' || part?.lastRun?.outcome === 'running';
}

/**
 * One LMS connection: Upload now / Download now, then a card per part. A run is "under way" when this
 * page started it (the request is still open) or when the engine's status says so (a scheduled run,
 * or one started from another window), so the buttons stay honest either way.
 */
export function LmsConnectionCard({ lms, paused, clock }: { lms: LmsStatus; paused: boolean; clock: SchoolClock }) {
  const headingId = `lms-${lms.id}`;
  const upload = useTarget('upload', lms);
  const download = useTarget('download', lms);
  const tracking = useTarget('course-tracking', lms);
  const approving = useIsMutating({ mutationKey: decideHeldPlanMutationKey(lms.id) }) > 0;

  const uploadReason = approving
    ? 'Applying the approved plan now; Upload now comes back when it finishes.'
    : upload.running
      ? 'An upload is running now; Upload now comes back when it finishes.'
      : null;
  const downloadReason = download.running
    ? 'A download is running now; Download now comes back when it finishes.'
    : null;
  const trackingReason = tracking.running ? 'The course list is being read now.' : null;

  const cards = lms.parts.filter((p) => CARD_PARTS.includes(p.part) || (p.part === 'reconcile' && p.lastRun));
  const byPart = new Map(lms.parts.map((p) => [p.part, p]));

  return (
    <section className="panel lms-card" aria-labelledby={headingId}>
      <div className="lms-card-head">
        <div>
          <h2 id={headingId}>{lms.name}</h2>
          <p className="muted lms-url">{lms.url}</p>
        </div>
        <div className="run-actions" role="group" aria-label={`Run now with ${lms.name}`}>
          <RunNowButton label="Upload now" primary disabledReason={uploadReason} onRun={upload.run} />
          <RunNowButton label="Download now" disabledReason={downloadReason} onRun={download.run} />
        </div>
      </div>

      {(upload.running || approving) && (
        <RunProgress
          label={approving ? 'The approved upload' : 'Upload'}
          lmsName={lms.name}
          startedAt={runningSince(byPart.get('upload'))}
          progress={byPart.get('upload')?.progress}
          clock={clock}
        />
      )}
      {download.running && (
        <RunProgress
          label="Download"
          lmsName={lms.name}
          startedAt={runningSince(byPart.get('results'))}
          progress={byPart.get('results')?.progress}
          unit="courses"
          clock={clock}
        />
      )}
      <div role="status" className="run-outcomes">
        {[upload, download, tracking].map((t) => t.outcome && <RunOutcomeNote key={t.target} {...t.outcome} />)}
      </div>
      {[upload, download, tracking].map(
        (t) =>
          t.error && (
            <p key={t.target} className="notice notice-problem" role="alert">
              <span>
                <span className="notice-icon" aria-hidden="true">
                  ✕
                </span>
                {TARGET_LABELS[t.target]} could not start: {t.error}
              </span>
            </p>
          ),
      )}

      {lms.parts.length === 0 ? (
        <p>No parts are scheduled for this connection.</p>
      ) : (
        <div className="part-cards">
          {cards.map((part) => (
            <PartCard key={part.part} lmsId={lms.id} part={part} paused={paused} clock={clock}>
              {part.part === 'course-tracking' && (
                <div className="part-actions">
                  {tracking.running && (
                    <RunProgress
                      label="Reading the course list"
                      lmsName={lms.name}
                      startedAt={runningSince(part)}
                      progress={part.progress}
                      clock={clock}
                    />
                  )}
                  <RunNowButton label="Read course list now" disabledReason={trackingReason} onRun={tracking.run} />
                </div>
              )}
            </PartCard>
          ))}
        </div>
      )}
    </section>
  );
}

function runningSince(part: PartStatus | undefined): string | undefined {
  return part?.lastRun?.outcome === 'running' ? part.lastRun.startedAt : undefined;
}

/** A run now target for one LMS: whether it is under way, how to start it, and how the last start ended. */
function useTarget(target: RunTarget, lms: LmsStatus) {
  const mutation = useRunNow(target, lms.id);
  // Counted across the app, so leaving the dashboard and coming back still shows a run this page started.
  const inFlight = useIsMutating({ mutationKey: runNowMutationKey(target, lms.id) }) > 0;
  // The part the target runs (the one map the engine uses) tells from the status that it is under way.
  const running = inFlight || isRunning(lms.parts.find((p) => p.part === PART_OF_SYNC_TARGET[target]));
  // The last start's answer, from the mutation cache: it outlives this component (leave the page and come back).
  const last = useMutationState({
    filters: { mutationKey: runNowMutationKey(target, lms.id) },
    select: (m) => ({ status: m.state.status, data: m.state.data as ApiOutput<'sync:runNow'> | undefined }),
  }).at(-1);
  const result = last?.status === 'success' ? last.data?.find((r) => r.connectionId === lms.id) : undefined;
  return {
    target,
    running,
    run: () => mutation.mutate(),
    outcome: result ? { target, result } : null,
    error: mutation.isError ? mutation.error.message : null,
  };
}

const OUTCOME_WORDS: Record<string, string> = {
  ok: 'finished',
  partial: 'finished, but some records could not be synced',
  failed: 'failed',
  held: 'was held for your approval',
};

function RunOutcomeNote({ target, result }: { target: RunTarget; result: ApiOutput<'sync:runNow'>[number] }) {
  const tone = result.outcome === 'ok' ? 'ok' : result.outcome === 'failed' ? 'problem' : 'warning';
  const icon = tone === 'ok' ? '✓' : tone === 'problem' ? '✕' : '!';
  return (
    <p className={`notice notice-${tone} run-now-outcome`}>
      <span>
        <span className="notice-icon" aria-hidden="true">
          {icon}
        </span>
        {TARGET_LABELS[target]} {OUTCOME_WORDS[result.outcome] ?? result.outcome}
        {result.message ? `: ${result.message}` : '.'}
      </span>
    </p>
  );
}
