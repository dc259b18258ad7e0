import { useState } from 'react';
import type { ConnectionTestResult } from '../../../../electron/core/contract/contract';
import type { LmsProvider } from '../../../../electron/core/model';
import { useApi } from '../../api/api-context';
import { idFromName, newLmsDraft, type LmsDraft } from './draft';
import { FieldError, SelectField, TextField } from './fields';
import { smsSetupOf } from './provider-routes';
import { lmsErrors } from './validate';
import type { WizardStepProps } from './wizard-context';

export function LmsStep(props: WizardStepProps) {
  const { draft, update, errorFor, providers } = props;

  function add() {
    const lms = newLmsDraft();
    if (draft.useSms && draft.sms.provider && !smsSetupOf(providers, draft.sms.provider).hasUsernames)
      lms.mapping.usernameFrom = 'email';
    update((d) => ({ ...d, lms: [...d.lms, lms] }));
    // Move to the new LMS's first field once it is on screen.
    requestAnimationFrame(() => document.getElementById(`lms-${lms.key}-name`)?.focus());
  }

  return (
    <>
      <p>
        Add each Moodle or Totara site ClassBridge should keep in step. Each needs a web-service token for the
        ClassBridge service; <em>Test connection</em> shows what that token allows and how to fix what is missing.
      </p>
      {draft.lms.map((lms, index) => (
        <LmsEntry key={lms.key} {...props} lms={lms} index={index} />
      ))}
      <button
        type="button"
        id="lms-add"
        onClick={add}
        aria-describedby={errorFor('lms-add') ? 'lms-add-error' : undefined}
      >
        Add another LMS
      </button>
      <FieldError id="lms-add" error={errorFor('lms-add')} />
    </>
  );
}

function LmsEntry(props: WizardStepProps & { lms: LmsDraft; index: number }) {
  const { draft, update, tokens, setToken, storedTokens, errorFor, touch, testResults, setTestResult, lms, index } =
    props;
  const api = useApi();
  const [testing, setTesting] = useState(false);
  const [testProblem, setTestProblem] = useState<string | null>(null);
  const prefix = `lms-${lms.key}`;
  const heading = lms.name.trim() || `LMS ${index + 1}`;
  const hasStoredToken = lms.saved && storedTokens.has(lms.id);
  const result = testResults[lms.key];

  function change(patch: Partial<LmsDraft>) {
    update((d) => ({ ...d, lms: d.lms.map((l) => (l.key === lms.key ? { ...l, ...patch } : l)) }));
    setTestResult(lms.key, undefined);
  }

  function rename(name: string) {
    // A saved connection keeps its id (it names keychain entries and history); a new one follows its name.
    const taken = draft.lms.filter((l) => l.key !== lms.key).map((l) => l.id);
    change(lms.saved ? { name } : { name, id: idFromName(name, taken, `lms-${index + 1}`) });
  }

  function remove() {
    update((d) => {
      const lmsList = d.lms.filter((l) => l.key !== lms.key);
      return { ...d, lms: lmsList, mappingFor: lmsList[0]?.key ?? '' };
    });
    setToken(lms.key, '');
    requestAnimationFrame(() => document.getElementById('lms-add')?.focus());
  }

  async function test() {
    const errors = lmsErrors(draft, tokens, storedTokens);
    const mine = [`${prefix}-url`, `${prefix}-token`].filter((id) => errors[id]);
    if (mine.length > 0) {
      mine.forEach(touch);
      document.getElementById(mine[0]!)?.focus();
      return;
    }
    setTesting(true);
    setTestProblem(null);
    setTestResult(lms.key, undefined);
    try {
      const token = tokens[lms.key]?.trim();
      const outcome = token
        ? await api.call('connections:test', { provider: lms.provider, url: lms.url.trim(), token })
        : await api.call('connections:test', { connectionId: lms.id });
      setTestResult(lms.key, outcome);
    } catch (error) {
      setTestProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setTesting(false);
    }
  }

  return (
    <section className="panel setup-lms" aria-labelledby={`${prefix}-heading`}>
      <h3 id={`${prefix}-heading`}>{heading}</h3>
      <div className="setup-row">
        <SelectField<LmsProvider>
          id={`${prefix}-provider`}
          label="Kind of LMS"
          value={lms.provider}
          onChange={(provider) => change({ provider })}
          options={props.providers.lms.map((p) => ({ value: p.id, label: p.label }))}
        />
        <TextField
          id={`${prefix}-name`}
          label="Name"
          hint={lms.id ? `Saved as “${lms.id}”.` : 'For example “Moodle (main)”.'}
          value={lms.name}
          error={errorFor(`${prefix}-name`)}
          onBlur={() => touch(`${prefix}-name`)}
          onChange={rename}
        />
      </div>
      <TextField
        id={`${prefix}-url`}
        label="Site address"
        className="setup-wide"
        type="url"
        inputMode="url"
        placeholder="https://moodle.school.nz"
        value={lms.url}
        error={errorFor(`${prefix}-url`)}
        onBlur={() => touch(`${prefix}-url`)}
        onChange={(url) => change({ url })}
      />
      <TextField
        id={`${prefix}-token`}
        label="Web-service token"
        className="setup-wide"
        type="password"
        autoComplete="new-password"
        hint={
          hasStoredToken
            ? 'A token is already stored in the system keychain; leave this empty to keep it.'
            : 'Stored in the system keychain when you save — never in this wizard’s saved draft, so you type it again if you leave before saving.'
        }
        value={tokens[lms.key] ?? ''}
        error={errorFor(`${prefix}-token`)}
        onBlur={() => touch(`${prefix}-token`)}
        onChange={(token) => {
          setToken(lms.key, token);
          setTestResult(lms.key, undefined);
        }}
      />
      <div className="toolbar">
        <button type="button" onClick={() => void test()} disabled={testing}>
          {testing ? 'Testing…' : 'Test connection'}
        </button>
        {draft.lms.length > 1 ? (
          <button type="button" onClick={remove}>
            Remove {heading}
          </button>
        ) : null}
      </div>
      <div aria-live="polite">
        {testProblem ? (
          <p className="setup-error">
            <span aria-hidden="true">✕ </span>
            {testProblem}
          </p>
        ) : null}
        {result ? <TestResult result={result} name={heading} /> : null}
      </div>
    </section>
  );
}

const ROLE_SOURCE: Record<NonNullable<ConnectionTestResult['roles']>[number]['source'], string> = {
  configured: 'from the mapping',
  cached: 'found earlier',
  learnt: 'learnt from course participants',
  verified: 'verified',
  default: "Moodle's default, checked at the first enrolment",
  unknown: 'not found',
};

function TestResult({ result, name }: { result: ConnectionTestResult; name: string }) {
  if (!result.reachable) {
    return (
      <div className="notice notice-problem" role="group" aria-label={`Test connection result for ${name}`}>
        <p>
          <span className="notice-icon" aria-hidden="true">
            ✕
          </span>
          Could not connect: {result.error?.message}
          {result.error?.fix ? <span className="setup-fix"> Fix: {result.error.fix}</span> : null}
        </p>
      </div>
    );
  }
  const missing = result.features.filter((f) => !f.available);
  return (
    <div
      className={`notice ${result.ok ? 'notice-ok' : 'notice-warning'} setup-test-result`}
      role="group"
      aria-label={`Test connection result for ${name}`}
    >
      <p>
        <span className="notice-icon" aria-hidden="true">
          {result.ok ? '✓' : '!'}
        </span>
        {result.ok
          ? 'Connected: everything ClassBridge uses works'
          : `Connected, but ${missing.length} of ${result.features.length} things do not work`}
        {result.site
          ? ` — ${result.site.name} (${result.site.family} ${result.site.release}, signed in as ${result.site.username}).`
          : '.'}
      </p>
      <ul className="setup-features">
        {result.features.map((feature) => (
          <li key={feature.feature} className={feature.available ? 'feature-ok' : 'feature-missing'}>
            <span aria-hidden="true">{feature.available ? '✓ ' : '✕ '}</span>
            <span className="visually-hidden">{feature.available ? 'Works: ' : 'Missing: '}</span>
            {feature.label}
            {feature.available ? null : feature.missingFunctions.length > 0 ? (
              <> — needs {feature.missingFunctions.join(', ')}</>
            ) : (
              <> — the token&rsquo;s role lacks {(feature.missingCapabilities ?? []).join(', ')}</>
            )}
          </li>
        ))}
      </ul>
      {result.roles && result.roles.length > 0 ? (
        <p className="setup-hint" aria-label="Role ids">
          Role ids enrolments will use:{' '}
          {result.roles
            .map((r) => `${r.shortname} ${r.id ?? 'not found'}${r.id === null ? '' : ` (${ROLE_SOURCE[r.source]})`}`)
            .join(', ')}
          .
        </p>
      ) : null}
      {result.fixes.length > 0 ? (
        <>
          <h4>How to fix</h4>
          <ul>
            {result.fixes.map((fix) => (
              <li key={fix}>{fix}</li>
            ))}
          </ul>
        </>
      ) : null}
      {result.notes.map((note) => (
        <p key={note} className="setup-hint">
          {note}
        </p>
      ))}
    </div>
  );
}
