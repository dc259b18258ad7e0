import type { SmsDescription } from '../../contract';

/**
 * KAMAR pushes to ClassBridge (ref A.1) and cannot be polled. Directory Services is one-way: KAMAR's
 * only use of our answers is the `error`/`result` acknowledgement and the check options (ref A.5), so
 * nothing public shows KAMAR taking results back: resultsWriteBack is empty.
 */
export function kamarDescription(version?: string): SmsDescription {
  return {
    provider: 'KAMAR',
    ...(version ? { version: `KAMAR Directory Services (build ${version})` } : {}),
    capabilities: { pull: false, push: true, file: false, resultsWriteBack: [] },
  };
}
