import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { ProviderList, SmsProvider } from '../../../../electron/core/model';
import { useApi } from '../../api/api-context';
import { queryKeys } from '../../api/query-keys';
import { CheckboxField, RadioGroup, SelectField, TextField } from './fields';
import { applyProviderDefaults, type ProviderDefaultsOutcome } from './provider-defaults';
import { smsSetupOf } from './provider-routes';
import { saveSmsConnection } from './save-setup';
import { smsErrors } from './validate';
import type { WizardStepProps } from './wizard-context';

export function SmsStep(props: WizardStepProps) {
  const { draft, update, errorFor, touch, providers } = props;
  const sms = draft.sms;
  const provider = sms.provider || undefined;
  const routes = provider ? smsSetupOf(providers, provider).routes : [];
  const route = routes.find((r) => r.mode === sms.mode);

  // What switching provider did to the mapping, said where the switch was made (never silently).
  const [defaultsNote, setDefaultsNote] = useState<ProviderDefaultsOutcome & { label: string }>();

  function chooseProvider(next: SmsProvider) {
    const nextSetup = smsSetupOf(providers, next);
    const outcome = applyProviderDefaults(draft.lms, nextSetup.hasUsernames);
    setDefaultsNote(
      outcome.changed.length + outcome.kept.length > 0 ? { ...outcome, label: nextSetup.label } : undefined,
    );
    update((d) => {
      const chosen = smsSetupOf(providers, next);
      const previousLabel = d.sms.provider ? smsSetupOf(providers, d.sms.provider).label : '';
      const keepName = d.sms.name.trim() !== '' && d.sms.name !== previousLabel;
      return {
        ...d,
        sms: {
          ...d.sms,
          provider: next,
          id: next,
          name: keepName ? d.sms.name : chosen.label,
          mode: chosen.defaultMode,
          // A secret belongs to the connection it was made for.
          secretGeneratedAt: next === d.sms.provider ? d.sms.secretGeneratedAt : undefined,
        },
        // The provider's defaults fill only answers the admin never set (provider-defaults.ts).
        lms: applyProviderDefaults(d.lms, chosen.hasUsernames).lms,
      };
    });
  }

  return (
    <>
      <CheckboxField
        id="use-sms"
        label="Use an SMS"
        checked={draft.useSms}
        onChange={(useSms) => update((d) => ({ ...d, useSms }))}
        hint="Turn this off if the school has no Student Management System to read from: ClassBridge then keeps the LMS course list and downloads results, and uploads nothing."
      />
      {draft.useSms ? (
        <>
          <SelectField<SmsProvider>
            id="sms-provider"
            label="Student Management System"
            value={sms.provider}
            error={errorFor('sms-provider')}
            onBlur={() => touch('sms-provider')}
            onChange={chooseProvider}
            options={[{ value: '', label: 'Choose…' }, ...providers.sms.map((p) => ({ value: p.id, label: p.label }))]}
          />
          {defaultsNote ? <ProviderDefaultsNote note={defaultsNote} /> : null}
          {provider ? (
            <>
              <TextField
                id="sms-name"
                label="Connection name"
                hint="How ClassBridge names this SMS on the dashboard."
                value={sms.name}
                error={errorFor('sms-name')}
                onBlur={() => touch('sms-name')}
                onChange={(name) => update((d) => ({ ...d, sms: { ...d.sms, name } }))}
              />
              <RadioGroup
                id="sms-mode"
                legend="How it connects"
                value={sms.mode}
                error={errorFor('sms-mode')}
                onChange={(mode) => update((d) => ({ ...d, sms: { ...d.sms, mode } }))}
                options={routes.map((r) => ({
                  value: r.mode,
                  label: r.available ? r.label : `${r.label} — not available yet`,
                  disabled: !r.available,
                  ...(r.available ? {} : { note: r.unavailableReason }),
                }))}
              />
              {route?.available && route.mode === 'file' && route.source ? (
                <FileSource {...props} provider={provider} source={route.source} />
              ) : null}
              {route?.available && route.mode === 'push' ? <PushSource {...props} provider={provider} /> : null}
            </>
          ) : null}
        </>
      ) : null}
    </>
  );
}

/** What a provider switch filled in, and the admin's answers it kept that the new SMS cannot serve. */
function ProviderDefaultsNote({ note }: { note: ProviderDefaultsOutcome & { label: string } }) {
  return (
    <div className="notice" role="status" data-testid="provider-defaults">
      {note.changed.length > 0 ? (
        <p>
          For {note.label}, the mapping starts from: {note.changed.join('; ')}. You can change it in the Mapping step.
        </p>
      ) : null}
      {note.kept.length > 0 ? (
        <p>
          Your mapping choice is kept for {note.kept.join(', ')}, but {note.label}&apos;s export has no usernames:
          choose another username source in the Mapping step.
        </p>
      ) : null}
    </div>
  );
}

function SetupSteps({ providers, provider }: { providers: ProviderList; provider: SmsProvider }) {
  const info = smsSetupOf(providers, provider);
  return (
    <section className="setup-instructions" aria-labelledby="sms-instructions-heading">
      <h3 id="sms-instructions-heading">In {info.label}</h3>
      <ol>
        {info.setupSteps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
    </section>
  );
}

function FileSource({
  draft,
  update,
  errorFor,
  touch,
  providers,
  provider,
  source,
}: WizardStepProps & { provider: SmsProvider; source: { label: string; hint: string; placeholder: string } }) {
  return (
    <>
      <TextField
        id="sms-source"
        label={source.label}
        className="setup-wide"
        hint={
          <>
            {source.hint} Type or paste the full path as this computer sees it (a browser page cannot open a file
            picker); ClassBridge checks it when it reads the export, and the dashboard says if it cannot.
          </>
        }
        value={draft.sms.source}
        error={errorFor('sms-source')}
        onBlur={() => touch('sms-source')}
        onChange={(source) => update((d) => ({ ...d, sms: { ...d.sms, source } }))}
        placeholder={source.placeholder}
      />
      <SetupSteps providers={providers} provider={provider} />
    </>
  );
}

/**
 * Get Secret: saves the SMS connection (the secret belongs to it), generates the secret, and shows it
 * once with a Copy button and the receiver's address. The secret lives in this component's state only:
 * leaving the step forgets it, and nothing writes it to the draft.
 */
function PushSource(props: WizardStepProps & { provider: SmsProvider }) {
  const { draft, update, errorFor, touch, status, connections, providers, provider } = props;
  const api = useApi();
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  // A secret already made is in KAMAR: replacing it stops KAMAR sending until the new one is typed in.
  const [confirmReplace, setConfirmReplace] = useState(false);
  const secretInput = useRef<HTMLInputElement>(null);
  const info = smsSetupOf(providers, provider);
  const receiver = status.receiver;
  const username = 'classbridge';

  async function getSecret(replace = false) {
    if (draft.sms.secretGeneratedAt && !replace) {
      setConfirmReplace(true);
      return;
    }
    setConfirmReplace(false);
    const errors = smsErrors(draft, providers);
    if (Object.keys(errors).length > 0) {
      Object.keys(errors).forEach(touch);
      setProblem('Correct the fields above first.');
      return;
    }
    setBusy(true);
    setProblem(null);
    setCopied(null);
    try {
      await saveSmsConnection(api, draft, connections, providers);
      const result = await api.call('secrets:generate', { connectionId: draft.sms.id, name: 'push-secret' });
      setSecret(result.secret);
      update((d) => ({ ...d, sms: { ...d.sms, secretGeneratedAt: new Date().toISOString() } }));
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.connections }),
        queryClient.invalidateQueries({ queryKey: queryKeys.status }),
      ]);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  async function copy(text: string, what: string) {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Without clipboard access (an older browser, or no permission) select it so Ctrl+C works.
      secretInput.current?.select();
      setCopied(`Press Ctrl+C to copy the ${what}: it is selected.`);
      return;
    }
    setCopied(`The ${what} is copied.`);
  }

  return (
    <>
      <div className="setup-row">
        <TextField
          id="sms-receiver-host"
          label="Receiver listens on"
          hint="0.0.0.0 (the default): every network, so the SMS on the school's server can reach it. 127.0.0.1: this computer only."
          value={draft.sms.receiverHost}
          error={errorFor('sms-receiver-host')}
          onBlur={() => touch('sms-receiver-host')}
          onChange={(receiverHost) => update((d) => ({ ...d, sms: { ...d.sms, receiverHost } }))}
        />
        <TextField
          id="sms-receiver-port"
          label="Receiver port"
          hint="8443 unless another program uses it."
          inputMode="numeric"
          value={draft.sms.receiverPort}
          error={errorFor('sms-receiver-port')}
          onBlur={() => touch('sms-receiver-port')}
          onChange={(receiverPort) => update((d) => ({ ...d, sms: { ...d.sms, receiverPort } }))}
        />
      </div>

      <section className="setup-secret" aria-labelledby="get-secret-heading">
        <h3 id="get-secret-heading">Secret for {info.label}</h3>
        <p>
          {info.label} sends its data to ClassBridge, signing in with a username and a secret. Get Secret makes a new
          secret and shows it <strong>once</strong>; ClassBridge keeps it in the system keychain.
          {draft.sms.secretGeneratedAt && !secret
            ? ' A secret was already made; Get Secret again replaces it (the old one stops working).'
            : ''}
        </p>
        <button
          type="button"
          className="button-primary"
          onClick={() => void getSecret()}
          disabled={busy || confirmReplace}
        >
          {busy ? 'Making a secret…' : 'Get Secret'}
        </button>
        {confirmReplace ? (
          <div className="notice notice-warning" role="alertdialog" aria-labelledby="replace-secret-question">
            <p id="replace-secret-question">
              Replace the secret? The one {info.label} has now stops working at once, and {info.label} cannot send until
              you enter the new one there.
            </p>
            <div className="setup-copy-row">
              <button type="button" onClick={() => void getSecret(true)}>
                Replace the secret
              </button>
              <button type="button" autoFocus onClick={() => setConfirmReplace(false)}>
                Keep the current secret
              </button>
            </div>
          </div>
        ) : null}
        {problem ? (
          <p className="setup-error" role="alert">
            <span aria-hidden="true">✕ </span>
            {problem}
          </p>
        ) : null}
        {secret ? (
          <div className="setup-secret-shown">
            <p className="notice notice-warning" role="note">
              <span>
                <span className="notice-icon" aria-hidden="true">
                  !
                </span>
                Copy the secret now: ClassBridge will not show it again.
              </span>
            </p>
            <div className="setup-copy-row">
              <label htmlFor="push-secret">Secret</label>
              <input id="push-secret" ref={secretInput} readOnly value={secret} className="setup-secret-value" />
              <button type="button" onClick={() => void copy(secret, 'secret')}>
                Copy
              </button>
            </div>
            <p role="status" className="setup-hint">
              {copied ?? ''}
            </p>
            <dl className="settings-list receiver">
              <dt>Receive address</dt>
              <dd>
                {receiver?.running && receiver.url ? (
                  <>
                    <code data-testid="receiver-url">{receiver.url}</code>
                    {receiver.otherUrls?.length ? (
                      <span className="setup-hint">
                        {' '}
                        (or {receiver.otherUrls.map((u, i) => [i > 0 ? ', ' : '', <code key={u}>{u}</code>])}, if{' '}
                        {info.label}&apos;s computer reaches this one that way)
                      </span>
                    ) : null}
                  </>
                ) : (
                  <span role="status">
                    {receiver?.reason && !busy ? `Not running yet: ${receiver.reason}` : 'Starting the receiver…'}
                  </span>
                )}
              </dd>
              <dt>Username</dt>
              <dd>
                <code>{username}</code>
              </dd>
              {!info.directLink && receiver?.running && receiver.url ? (
                <>
                  <dt>Upload addresses</dt>
                  <dd>
                    <code>{new URL(receiver.url).origin}/upload/csv</code> for a CSV export,{' '}
                    <code>{new URL(receiver.url).origin}/upload/oneroster</code> for a OneRoster zip (HTTP POST with the
                    username and secret; docs/sms-providers.md shows the command).
                  </dd>
                </>
              ) : null}
              {receiver?.fingerprint ? (
                <>
                  <dt>Certificate fingerprint (SHA-256)</dt>
                  <dd>
                    <code className="fingerprint">{receiver.fingerprint}</code>
                  </dd>
                </>
              ) : null}
            </dl>
            {receiver?.warnings.map((warning) => (
              <p key={warning} className="notice notice-warning">
                {warning}
              </p>
            ))}
          </div>
        ) : null}
      </section>
      <SetupSteps providers={providers} provider={provider} />
    </>
  );
}
