import type { ConnectionTestResult, Status } from '../../../../electron/core/contract/contract';
import type { Connection, ProviderList, Settings } from '../../../../electron/core/model';
import type { SetupDraft, StepId } from './draft';

/** What every step gets from the wizard: the draft, the secrets held in memory only, and validation. */
export interface WizardStepProps {
  draft: SetupDraft;
  update: (change: (draft: SetupDraft) => SetupDraft) => void;
  /** LMS tokens as typed, by LMS key. Never written to storage. */
  tokens: Record<string, string>;
  setToken: (key: string, token: string) => void;
  /** Saved LMS connection ids that already have a token in the keychain. */
  storedTokens: Set<string>;
  /** The error to show for a field now (after it was left, or after Continue was pressed). */
  errorFor: (fieldId: string) => string | undefined;
  touch: (fieldId: string) => void;
  status: Status;
  settings: Settings;
  connections: Connection[];
  /** Every SMS and LMS provider, as the engine describes them (`providers:list`). */
  providers: ProviderList;
  testResults: Record<string, ConnectionTestResult>;
  setTestResult: (key: string, result: ConnectionTestResult | undefined) => void;
  goTo: (step: StepId) => void;
}
