import { routeHref } from '../../app/routes';
import { EngineText } from '../../components/engine-text';
import { smsSetupOf } from './provider-routes';
import type { SourceRead } from './source-read';
import type { WizardStepProps } from './wizard-context';

/**
 * The first-upload step while there is no data of this SMS to preview: it is being read, it was
 * refused (with the import's reason: file, line and field where it names them), or it has not come yet.
 * The page updates by itself (status:changed) when the import ends.
 */
export function SourceReadNotice({ draft, providers, read }: WizardStepProps & { read: SourceRead }) {
  const provider = draft.sms.provider;
  if (!provider || read.state === 'current') return null;
  const info = smsSetupOf(providers, provider);
  if (read.state === 'refused') {
    return (
      <div className="notice notice-problem" role="alert" data-testid="source-refused">
        <p>
          <span className="notice-icon" aria-hidden="true">
            ✕
          </span>
          {info.label}&apos;s data could not be read, so there is nothing to preview: <EngineText text={read.message} />
        </p>
        <p>
          Correct the export (or the path in the SMS step) and export again: ClassBridge reads it when it changes, and
          this page updates by itself. <a href={routeHref('history')}>History</a> lists every problem it found.
        </p>
      </div>
    );
  }
  if (read.state === 'reading') {
    return (
      <p className="notice" role="status" data-testid="source-reading">
        Reading {info.label}&apos;s data… The preview appears when it has been read.
      </p>
    );
  }
  const switched = draft.sourceSwitch?.snapshotAt
    ? ` from ${info.label} (the data ClassBridge had came from the SMS used before, and is not previewed)`
    : '';
  return (
    <div className="notice notice-warning" role="status" data-testid="source-waiting">
      <p>
        <span className="notice-icon" aria-hidden="true">
          !
        </span>
        No SMS data yet{switched}, so there is nothing to preview.{' '}
        {draft.sms.mode === 'push' ? (
          `ClassBridge is waiting for ${info.label} to send its data (a full update). This page updates by itself when it arrives.`
        ) : (
          <>
            ClassBridge reads the export at <code>{draft.sms.source}</code> as soon as it is there and has stopped
            changing. This page updates by itself when it has.
          </>
        )}
      </p>
    </div>
  );
}
