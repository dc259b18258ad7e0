import type { SmsCapabilities } from '../../contract';

/**
 * What a pull adapter for each VET system will be able to do once it is built (README.md beside this
 * file says what each needs). No client exists yet: until then these systems are read through their
 * AVETMISS NAT export (adapters/sms/avetmiss). Results write-back stays empty until a result-writing
 * operation is confirmed from each vendor's documentation.
 */
export const VET_API_CAPABILITIES: Record<'vettrak' | 'jobready' | 'paradigm', SmsCapabilities & { built: false }> = {
  vettrak: { pull: true, push: false, file: false, resultsWriteBack: [], built: false },
  jobready: { pull: true, push: false, file: false, resultsWriteBack: [], built: false },
  paradigm: { pull: true, push: false, file: false, resultsWriteBack: [], built: false },
};
