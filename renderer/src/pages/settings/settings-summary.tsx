import { useState } from 'react';
import type { Settings } from '../../../../electron/core/model';
import { PauseControl } from '../../components/pause-control';
import { useSaveSettings } from '../../api/queries';
import { plural } from '../../format/labels';

export function SettingsSummary({ settings }: { settings: Settings }) {
  return (
    <dl className="settings-list">
      <dt>Time zone</dt>
      <dd>{settings.timeZone}</dd>

      <dt>Problem threshold</dt>
      <dd>A part turns “Problem” after {plural(settings.problemAfterMinutes, 'minute')} without a success</dd>

      <dt>Safety rail</dt>
      <dd>
        Hold a plan for approval when it would suspend or unenrol more than {settings.safety.maxRemovalPercent}% of
        active records or more than {plural(settings.safety.maxRemovalCount, 'record')}, or more than{' '}
        {settings.safety.maxCourseRemovalPercent}% of one course’s active students when that is at least{' '}
        {plural(settings.safety.minCourseRemovals, 'student')}
      </dd>

      <dt>Results auto-export</dt>
      <dd>
        {settings.results.autoExport
          ? 'On — results go back to the SMS without asking'
          : 'Off — results are not sent to the SMS automatically'}
      </dd>

      <dt>Start at login</dt>
      <dd>
        <StartAtLoginControl enabled={settings.startAtLogin} />
      </dd>

      <dt>Syncing</dt>
      <dd className="settings-paused">
        <span>{settings.paused ? 'Paused' : 'Running on schedule'}</span>
        <PauseControl paused={settings.paused} />
      </dd>
    </dl>
  );
}

/**
 * The desktop app starts in the tray when the admin logs in, so schedules run without anyone opening
 * it (on by default once set up). The headless host ignores it.
 */
function StartAtLoginControl({ enabled }: { enabled: boolean }) {
  const save = useSaveSettings();
  // What was just chosen, shown from the click itself until the save settles: the mutation's own
  // pending state arrives a render later, and a controlled checkbox would flip back for that render.
  const [chosen, setChosen] = useState<boolean | undefined>(undefined);
  const checked = chosen ?? enabled;
  return (
    <span className="pause-control">
      <label>
        <input
          type="checkbox"
          checked={checked}
          disabled={save.isPending}
          onChange={(event) => {
            setChosen(event.target.checked);
            save.mutate({ startAtLogin: event.target.checked }, { onSettled: () => setChosen(undefined) });
          }}
        />{' '}
        Start ClassBridge in the tray when I log in
      </label>
      {save.isError && (
        <span className="inline-error" role="alert">
          Could not save: {save.error.message}
        </span>
      )}
    </span>
  );
}
