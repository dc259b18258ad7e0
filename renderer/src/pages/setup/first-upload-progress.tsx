import type { Status } from '../../../../electron/core/contract/contract';
import { useSchoolClock } from '../../format/school-clock';
import { RunProgress } from '../dashboard/run-progress';
import type { LmsDraft } from './draft';

/**
 * The wizard's Apply while it runs: per LMS, the same bar, rate and time left as the dashboard's
 * (dashboard/run-progress.tsx), from the live status (status:get `parts[].progress`), so a first upload
 * of a whole school does not look frozen behind "Uploading…".
 */
export function FirstUploadProgress({ status, lms }: { status: Status; lms: readonly LmsDraft[] }) {
  const clock = useSchoolClock();
  return (
    <>
      {lms.map((draft) => {
        const upload = status.lms.find((l) => l.id === draft.id)?.parts.find((p) => p.part === 'upload');
        return (
          <RunProgress
            key={draft.key}
            label="First upload"
            lmsName={draft.name}
            startedAt={upload?.lastRun?.outcome === 'running' ? upload.lastRun.startedAt : undefined}
            progress={upload?.progress}
            clock={clock}
          />
        );
      })}
    </>
  );
}
