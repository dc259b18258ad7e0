import type { Status } from '../../../../electron/core/contract/contract';
import { SMS_PROVIDER_INFO, type SmsProvider } from '../../../../electron/core/model';

/**
 * How the SMS reaches ClassBridge: for providers without a public interface, say so plainly; for
 * SMSs that push (KAMAR, uploads), the receiver's address and certificate fingerprint the admin
 * compares on the SMS side, or why the receiver is not running.
 */
export function SmsLinkDetails({ sms, receiver }: { sms: NonNullable<Status['sms']>; receiver: Status['receiver'] }) {
  const info = SMS_PROVIDER_INFO[sms.provider as SmsProvider];
  return (
    <>
      {info && !info.directLink && (
        <p className="notice" role="note">
          {info.label} has no direct link to ClassBridge yet: its data comes as a CSV or OneRoster export, picked as a
          file or uploaded to the receiver below with the secret.
        </p>
      )}
      {info?.route === 'push' && receiver && (
        <div className="receiver">
          {receiver.running ? (
            <>
              <p>
                Receiving at <code>{receiver.url}</code>
              </p>
              {receiver.fingerprint && (
                <p className="muted">
                  Certificate fingerprint (compare it on the SMS side):{' '}
                  <code className="fingerprint">{receiver.fingerprint}</code>
                </p>
              )}
              {receiver.warnings.map((w) => (
                <p key={w} className="notice">
                  {w}
                </p>
              ))}
            </>
          ) : (
            <p className="notice">The receiver is not running: {receiver.reason}</p>
          )}
        </div>
      )}
    </>
  );
}
