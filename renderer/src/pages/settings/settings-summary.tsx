import type { Settings } from '../../../../electron/core/model';
import { PauseControl } from '../../components/pause-control';
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
        active records or more than {plural(settings.safety.maxRemovalCount, 'record')}
      </dd>

      <dt>Results auto-export</dt>
      <dd>
        {settings.results.autoExport
          ? 'On — results go back to the SMS without asking'
          : 'Off — results are not sent to the SMS automatically'}
      </dd>

      <dt>Syncing</dt>
      <dd className="settings-paused">
        <span>{settings.paused ? 'Paused' : 'Running on schedule'}</span>
        <PauseControl paused={settings.paused} />
      </dd>
    </dl>
  );
}
