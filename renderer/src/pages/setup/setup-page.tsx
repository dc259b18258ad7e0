import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConnectionTestResult, Status } from '../../../../electron/core/contract/contract';
import type { Connection, ProviderList, Settings } from '../../../../electron/core/model';
import { useApi } from '../../api/api-context';
import { useConnections, useSettings, useStatus } from '../../api/queries';
import { queryKeys } from '../../api/query-keys';
import { EngineErrorState, LoadingState } from '../../components/query-states';
import {
  clearDraft,
  draftFromConfig,
  emptyDraft,
  loadDraft,
  saveDraft,
  STEPS,
  type SetupDraft,
  type StepId,
} from './draft';
import { saveSetup } from './save-setup';
import { ExportStep } from './step-export';
import { LmsStep } from './step-lms';
import { MappingStep } from './step-mapping';
import { PreviewStep } from './step-preview';
import { ReviewStep } from './step-review';
import { SmsStep } from './step-sms';
import { useProviders } from '../../api/use-providers';
import { stepErrors } from './validate';
import type { WizardStepProps } from './wizard-context';

/**
 * The setup wizard: first run (from the dashboard's empty state) and again from Settings. Steps:
 * SMS, LMS, mapping, export and schedule, review and save, then the dry run of the first upload.
 */
export function SetupPage() {
  const status = useStatus();
  const settings = useSettings();
  const connections = useConnections();
  const providers = useProviders();
  const queries = [status, settings, connections, providers];

  return (
    <>
      <h1 tabIndex={-1}>Setup</h1>
      {status.isPending || settings.isPending || connections.isPending || providers.isPending ? (
        <LoadingState>Loading the configuration…</LoadingState>
      ) : status.isError || settings.isError || connections.isError || providers.isError ? (
        <EngineErrorState
          error={(status.error ?? settings.error ?? connections.error ?? providers.error)!}
          onRetry={() => void Promise.all(queries.map((q) => q.refetch()))}
        />
      ) : (
        <Wizard
          status={status.data}
          settings={settings.data}
          connections={connections.data}
          providers={providers.data}
        />
      )}
    </>
  );
}

function initialDraft(settings: Settings, connections: Connection[]): { draft: SetupDraft; restored: boolean } {
  const stored = loadDraft();
  if (stored) return { draft: stored, restored: true };
  return { draft: connections.length > 0 ? draftFromConfig(settings, connections) : emptyDraft(), restored: false };
}

function Wizard({
  status,
  settings,
  connections,
  providers,
}: {
  status: Status;
  settings: Settings;
  connections: Connection[];
  providers: ProviderList;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [{ draft, restored }, setState] = useState(() => initialDraft(settings, connections));
  const [tokens, setTokens] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [attempted, setAttempted] = useState<Set<StepId>>(new Set());
  const [testResults, setTestResults] = useState<Record<string, ConnectionTestResult>>({});
  const [saving, setSaving] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [finished, setFinished] = useState<string | null>(null);
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  // Which saved LMS connections already hold a token (names only; the Api never returns a value).
  const savedLms = connections.filter((c) => c.kind === 'lms').map((c) => c.id);
  const secretNames = useQueries({
    queries: savedLms.map((id) => ({
      queryKey: ['setup-secrets', id],
      queryFn: () => api.call('secrets:list', { connectionId: id }),
    })),
  });
  const storedTokens = new Set(savedLms.filter((_, i) => secretNames[i]?.data?.names.includes('token')));

  const update = useCallback((change: (draft: SetupDraft) => SetupDraft) => {
    setState((state) => {
      const next = change(state.draft);
      saveDraft(next);
      return { ...state, draft: next };
    });
  }, []);

  const goTo = useCallback(
    (step: StepId) => {
      update((d) => ({ ...d, step }));
    },
    [update],
  );

  // Move focus to the step's heading when the step changes, as the app does for pages.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    stepHeading.current?.focus();
  }, [draft.step]);

  const errors = stepErrors(draft.step, draft, tokens, storedTokens, providers);
  const errorFor = (id: string) => (touched.has(id) || attempted.has(draft.step) ? errors[id] : undefined);
  const touch = useCallback((id: string) => setTouched((t) => (t.has(id) ? t : new Set(t).add(id))), []);

  const stepIndex = STEPS.findIndex((s) => s.id === draft.step);
  const props: WizardStepProps = {
    draft,
    update,
    tokens,
    setToken: (key, token) => setTokens((t) => ({ ...t, [key]: token })),
    storedTokens,
    errorFor,
    touch,
    status,
    settings,
    connections,
    providers,
    testResults,
    setTestResult: (key, result) =>
      setTestResults((r) => {
        const next = { ...r };
        if (result) next[key] = result;
        else delete next[key];
        return next;
      }),
    goTo,
  };

  function next() {
    const ids = Object.keys(errors);
    if (ids.length > 0) {
      setAttempted((a) => new Set(a).add(draft.step));
      // The mapping step shows one LMS at a time: show the one whose answer needs attention.
      const lmsWithError = draft.lms.find((l) => ids[0]!.startsWith(`mapping-${l.key}-`));
      if (draft.step === 'mapping' && lmsWithError) update((d) => ({ ...d, mappingFor: lmsWithError.key }));
      // Focus the first field that needs attention; its error is read out with it.
      requestAnimationFrame(() => document.getElementById(ids[0]!)?.focus());
      return;
    }
    const following = STEPS[stepIndex + 1];
    if (following) goTo(following.id);
  }

  async function save() {
    setSaving(true);
    setSaveError(null);
    try {
      const outcome = await saveSetup(
        api,
        draft,
        tokens,
        { settings, connections, providers, firstRun: !status.setUp },
        setProgress,
      );
      setTokens({});
      update((d) => {
        // The preview waits past the snapshot of the SMS Save switched away from (source-read.ts).
        const { sourceSwitch: _previous, ...rest } = d;
        return {
          ...rest,
          step: 'preview',
          pausedForPreview: outcome.pausedForPreview,
          lms: d.lms.map((l) => ({ ...l, saved: true })),
          ...(outcome.sourceSwitch ? { sourceSwitch: outcome.sourceSwitch } : {}),
        };
      });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.connections }),
        queryClient.invalidateQueries({ queryKey: queryKeys.settings }),
        queryClient.invalidateQueries({ queryKey: queryKeys.status }),
        queryClient.invalidateQueries({ queryKey: ['setup-secrets'] }),
      ]);
    } catch (error) {
      setSaveError(error instanceof Error ? error.message : String(error));
    } finally {
      setSaving(false);
      setProgress(null);
    }
  }

  function finish(message: string) {
    clearDraft();
    setFinished(message);
  }

  function startOver() {
    clearDraft();
    setTokens({});
    setTouched(new Set());
    setAttempted(new Set());
    setTestResults({});
    setState({
      draft: connections.length > 0 ? draftFromConfig(settings, connections) : emptyDraft(),
      restored: false,
    });
  }

  const step = STEPS[stepIndex]!;
  const errorCount = attempted.has(draft.step) ? Object.keys(errors).length : 0;

  return (
    <div className="setup-wizard">
      {finished ? (
        <p className="notice notice-ok" role="status">
          {finished}
        </p>
      ) : null}
      {restored && draft.step !== 'preview' ? (
        <div className="notice notice-ok setup-restored">
          <p>Your answers from last time are back (tokens and secrets are never kept: type tokens again).</p>
          <button type="button" onClick={startOver}>
            Start again
          </button>
        </div>
      ) : null}
      <nav aria-label="Setup steps">
        <ol className="setup-steps">
          {STEPS.map((s, i) => {
            const reachable = i < stepIndex && draft.step !== 'preview';
            return (
              <li key={s.id} className={i === stepIndex ? 'is-current' : i < stepIndex ? 'is-done' : undefined}>
                {reachable ? (
                  <button type="button" className="setup-link-button" onClick={() => goTo(s.id)}>
                    <span className="visually-hidden">Step {i + 1}, done: </span>
                    {s.label}
                  </button>
                ) : (
                  <span aria-current={i === stepIndex ? 'step' : undefined}>
                    <span className="visually-hidden">Step {i + 1}: </span>
                    {s.label}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      </nav>

      <section className="panel setup-step" aria-labelledby="setup-step-heading">
        <h2 id="setup-step-heading" ref={stepHeading} tabIndex={-1}>
          Step {stepIndex + 1} of {STEPS.length}: {step.label}
        </h2>
        {errorCount > 0 ? (
          <p className="setup-error" role="alert">
            <span aria-hidden="true">✕ </span>
            {errorCount === 1 ? 'One answer needs' : `${errorCount} answers need`} correcting before you go on.
          </p>
        ) : null}
        {draft.step === 'sms' ? <SmsStep {...props} /> : null}
        {draft.step === 'lms' ? <LmsStep {...props} /> : null}
        {draft.step === 'mapping' ? <MappingStep {...props} /> : null}
        {draft.step === 'export' ? <ExportStep {...props} /> : null}
        {draft.step === 'review' ? (
          <ReviewStep {...props} onSave={() => void save()} saving={saving} progress={progress} saveError={saveError} />
        ) : null}
        {draft.step === 'preview' && !finished ? (
          <PreviewStep {...props} pausedForPreview={draft.pausedForPreview === true} onFinished={finish} />
        ) : null}
      </section>

      {draft.step !== 'review' && draft.step !== 'preview' ? (
        <div className="toolbar setup-nav">
          {stepIndex > 0 ? (
            <button type="button" onClick={() => goTo(STEPS[stepIndex - 1]!.id)}>
              Back
            </button>
          ) : null}
          <button type="button" className="button-primary" onClick={next}>
            Continue
          </button>
        </div>
      ) : null}
      {draft.step === 'review' ? (
        <div className="toolbar setup-nav">
          <button type="button" onClick={() => goTo('export')}>
            Back
          </button>
        </div>
      ) : null}
    </div>
  );
}
