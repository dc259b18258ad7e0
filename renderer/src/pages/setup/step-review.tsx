import { describeRules } from './rules/describe-rules';
import { STEPS, type StepId } from './draft';
import { smsSetupOf } from './provider-routes';
import { describeSchedule } from './step-export';
import { stepErrors } from './validate';
import type { WizardStepProps } from './wizard-context';
import { AlertsOffer } from './alerts-offer';

const REMOVAL_WORDS = { suspend: 'suspended', unenrol: 'unenrolled (user suspended)', keep: 'kept' } as const;
const USERNAME_WORDS = { 'sms-username': 'SMS username', email: 'email address', 'sms-id': 'SMS id' } as const;

export function ReviewStep(
  props: WizardStepProps & {
    onSave: () => void;
    saving: boolean;
    progress: string | null;
    saveError: string | null;
  },
) {
  const { draft, tokens, storedTokens, connections, providers, goTo, onSave, saving, progress, saveError } = props;
  const stepsWithErrors = STEPS.filter(
    (s) =>
      s.id !== 'review' &&
      s.id !== 'preview' &&
      Object.keys(stepErrors(s.id, draft, tokens, storedTokens, providers)).length > 0,
  );
  const sms = draft.sms.provider ? smsSetupOf(providers, draft.sms.provider) : undefined;
  const route = sms?.routes.find((r) => r.mode === draft.sms.mode);
  const oldSms = connections.find((c) => c.kind === 'sms');
  const removedLms = connections.filter((c) => c.kind === 'lms' && !draft.lms.some((l) => l.id === c.id));

  const edit = (step: StepId, what: string) => (
    <button type="button" className="setup-link-button" onClick={() => goTo(step)}>
      Change {what}
    </button>
  );

  return (
    <>
      <section className="panel" aria-labelledby="review-sms-heading">
        <h3 id="review-sms-heading">SMS</h3>
        {draft.useSms && sms ? (
          <dl className="settings-list">
            <dt>System</dt>
            <dd>
              {sms.label} — “{draft.sms.name}”
            </dd>
            <dt>Connects</dt>
            <dd>{route?.label}</dd>
            {draft.sms.mode === 'file' ? (
              <>
                <dt>Export</dt>
                <dd>
                  <code>{draft.sms.source}</code>
                </dd>
              </>
            ) : (
              <>
                <dt>Receiver</dt>
                <dd>
                  {['0.0.0.0', '::'].includes(draft.sms.receiverHost.trim())
                    ? `every network, port ${draft.sms.receiverPort}`
                    : `${draft.sms.receiverHost}:${draft.sms.receiverPort}`}{' '}
                  — {draft.sms.secretGeneratedAt ? 'secret made' : 'no secret yet: use Get Secret'}
                </dd>
              </>
            )}
          </dl>
        ) : (
          <p>No SMS: ClassBridge keeps the LMS course list and results only.</p>
        )}
        {draft.useSms && oldSms && oldSms.id !== draft.sms.id ? (
          <p className="notice notice-warning">
            Saving replaces the SMS connection “{oldSms.name}” (its secrets are removed).
          </p>
        ) : null}
        {edit('sms', 'the SMS')}
      </section>

      <section className="panel" aria-labelledby="review-lms-heading">
        <h3 id="review-lms-heading">LMS</h3>
        <ul className="plain-list">
          {draft.lms.map((lms) => {
            const tested = props.testResults[lms.key];
            return (
              <li key={lms.key}>
                <strong>{lms.name}</strong> ({providers.lms.find((p) => p.id === lms.provider)?.label ?? lms.provider}){' '}
                <code>{lms.url}</code> — usernames{' '}
                {lms.mapping.usernameTemplate.trim() ? (
                  <>
                    from the template <code>{lms.mapping.usernameTemplate.trim()}</code>
                  </>
                ) : (
                  `from the ${USERNAME_WORDS[lms.mapping.usernameFrom]}`
                )}
                , courses matched by {lms.mapping.courseMatch === 'idnumber' ? 'ID number' : 'short name'}, leavers{' '}
                {REMOVAL_WORDS[lms.mapping.removalPolicy]}
                {lms.mapping.categoryId ? `, new courses in category ${lms.mapping.categoryId}` : ', no new courses'}
                {describeRules(lms.mapping.rules) ? `; ${describeRules(lms.mapping.rules)}` : ''}.
                {tested
                  ? tested.ok
                    ? ' Test connection: everything works.'
                    : ' Test connection: something is missing.'
                  : ''}
              </li>
            );
          })}
        </ul>
        {removedLms.length > 0 ? (
          <p className="notice notice-warning">
            Saving removes {removedLms.map((c) => `“${c.name}”`).join(', ')} and its stored token.
          </p>
        ) : null}
        {edit('lms', 'the LMS')} {edit('mapping', 'the mapping')}
      </section>

      <section className="panel" aria-labelledby="review-export-heading">
        <h3 id="review-export-heading">Export and schedule</h3>
        <dl className="settings-list">
          <dt>Results to the SMS</dt>
          <dd>
            {draft.useSms && draft.sms.provider && !smsSetupOf(providers, draft.sms.provider).takesResults
              ? 'by hand: this SMS takes no results back (results.csv only)'
              : draft.useSms && draft.autoExport
                ? 'automatically'
                : 'not automatically (results.csv only)'}
          </dd>
          <dt>Time zone</dt>
          <dd>{draft.timeZone}</dd>
          <dt>Upload</dt>
          <dd>{describeSchedule(draft.uploadSchedule, draft.timeZone)}</dd>
          <dt>Download</dt>
          <dd>{describeSchedule(draft.downloadSchedule, draft.timeZone)}</dd>
        </dl>
        {edit('export', 'export and schedule')}
      </section>

      <AlertsOffer />

      {stepsWithErrors.length > 0 ? (
        <div className="notice notice-problem" role="alert">
          <p>
            <span className="notice-icon" aria-hidden="true">
              ✕
            </span>
            Some answers need correcting before saving:{' '}
            {stepsWithErrors.map((s, i) => (
              <span key={s.id}>
                {i > 0 ? ', ' : ''}
                <button type="button" className="setup-link-button" onClick={() => goTo(s.id)}>
                  {s.label}
                </button>
              </span>
            ))}
            .
          </p>
        </div>
      ) : null}
      {saveError ? (
        <div className="notice notice-problem" role="alert">
          <p>
            <span className="notice-icon" aria-hidden="true">
              ✕
            </span>
            Not saved: {saveError}
          </p>
        </div>
      ) : null}
      <div className="toolbar">
        <button
          type="button"
          className="button-primary"
          onClick={onSave}
          disabled={saving || stepsWithErrors.length > 0}
        >
          {saving ? 'Saving…' : 'Save'}
        </button>
        <span role="status">{progress ?? ''}</span>
      </div>
    </>
  );
}
