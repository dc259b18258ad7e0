import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ApiOutput } from '../../../../electron/core/contract/contract';
import { ALERT_KINDS, type AlertKind, type AlertSettings } from '../../../../electron/core/model';
import { useApi } from '../../api/api-context';
import { useSaveSettings, useSettings } from '../../api/queries';
import { EngineErrorState, LoadingState } from '../../components/query-states';
import { CheckboxField, SelectField, TextField } from '../setup/fields';

const ALERTS_STATUS_KEY = ['alerts-status'] as const;

const KIND_LABELS: Record<AlertKind, string> = {
  problem: 'A part has a problem',
  held: 'An upload is held for approval',
  links: 'Link decisions are waiting',
  update: 'An update needs a restart',
  'late-source': 'The SMS data is late',
  digest: 'The daily or weekly digest',
};

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The form's text, as typed (numbers and lists are parsed when saving; the engine validates). */
interface Draft {
  enabled: boolean;
  host: string;
  port: string;
  security: 'starttls' | 'tls' | 'none';
  user: string;
  from: string;
  to: string;
  webhooks: Record<AlertKind, string>;
  quietStart: string;
  quietEnd: string;
  lateMode: 'learn' | 'fixed' | 'off';
  lateHours: string;
  digestEvery: 'day' | 'week' | 'off';
  digestAt: string;
  digestWeekday: string;
  password: string;
  secret: string;
}

function draftOf(a: AlertSettings): Draft {
  return {
    enabled: a.enabled,
    host: a.email?.host ?? '',
    port: String(a.email?.port ?? 587),
    security: a.email?.security ?? 'starttls',
    user: a.email?.user ?? '',
    from: a.email?.from ?? '',
    to: (a.email?.to ?? []).join(', '),
    webhooks: Object.fromEntries(ALERT_KINDS.map((k) => [k, a.webhooks[k] ?? ''])) as Record<AlertKind, string>,
    quietStart: a.quietHours?.start ?? '',
    quietEnd: a.quietHours?.end ?? '',
    lateMode: a.lateSource.mode,
    lateHours: a.lateSource.everyHours === undefined ? '' : String(a.lateSource.everyHours),
    digestEvery: a.digest.every,
    digestAt: a.digest.at,
    digestWeekday: String(a.digest.weekday),
    password: '',
    secret: '',
  };
}

function settingsOf(d: Draft, current: AlertSettings): AlertSettings {
  const webhooks: AlertSettings['webhooks'] = {};
  for (const k of ALERT_KINDS) if (d.webhooks[k].trim()) webhooks[k] = d.webhooks[k].trim();
  return {
    ...current,
    enabled: d.enabled,
    ...(d.host.trim()
      ? {
          email: {
            host: d.host.trim(),
            port: Number(d.port),
            security: d.security,
            ...(d.user.trim() ? { user: d.user.trim() } : {}),
            from: d.from.trim(),
            to: d.to
              .split(/[,;\s]+/)
              .map((t) => t.trim())
              .filter(Boolean),
          },
        }
      : { email: undefined }),
    webhooks,
    quietHours: d.quietStart && d.quietEnd ? { start: d.quietStart, end: d.quietEnd } : undefined,
    lateSource: d.lateMode === 'fixed' ? { mode: 'fixed', everyHours: Number(d.lateHours) } : { mode: d.lateMode },
    digest: { every: d.digestEvery, at: d.digestAt, weekday: Number(d.digestWeekday) },
  };
}

/**
 * Settings → Alerts (and the wizard's last step): email and webhook alerts, quiet hours, the late
 * source and the digest (docs/alerts.md). The SMTP password and the webhook secret go straight to the
 * keychain (`alerts:setSecret`), never into the settings; "Send test alerts" sends one of each kind.
 */
export function AlertsSettings({ compact = false }: { compact?: boolean }) {
  const settings = useSettings();
  if (settings.isPending) return <LoadingState>Loading alert settings…</LoadingState>;
  if (settings.isError) return <EngineErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  return <AlertsForm current={settings.data.alerts} compact={compact} />;
}

function AlertsForm({ current, compact }: { current: AlertSettings; compact: boolean }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const save = useSaveSettings();
  const [draft, setDraft] = useState(() => draftOf(current));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const status = useQuery({ queryKey: ALERTS_STATUS_KEY, queryFn: () => api.call('alerts:status', {}) });
  const test = useMutation({ mutationFn: () => api.call('alerts:test', {}) });
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  async function onSave() {
    setMessage(undefined);
    try {
      if (draft.password) await api.call('alerts:setSecret', { name: 'smtp-password', value: draft.password });
      if (draft.secret) await api.call('alerts:setSecret', { name: 'webhook-secret', value: draft.secret });
      await save.mutateAsync({ alerts: settingsOf(draft, current) });
      setDraft((d) => ({ ...d, password: '', secret: '' }));
      setMessage({ ok: true, text: 'Alert settings saved.' });
    } catch (err) {
      setMessage({ ok: false, text: `Not saved: ${(err as Error).message}` });
    } finally {
      void queryClient.invalidateQueries({ queryKey: ALERTS_STATUS_KEY });
    }
  }

  const stored = status.data?.secrets;
  return (
    <div className="stack" data-testid="alerts-settings">
      <p className="setup-hint">
        Tell someone when the sync breaks, by email or webhook: nobody may be at this computer when it does.
      </p>
      <CheckboxField
        id="alerts-enabled"
        label="Send alerts"
        checked={draft.enabled}
        onChange={(v) => set('enabled', v)}
      />

      <fieldset>
        <legend>Email (SMTP)</legend>
        <TextField
          id="alerts-host"
          label="SMTP server"
          value={draft.host}
          onChange={(v) => set('host', v)}
          placeholder="smtp.school.nz"
        />
        <TextField
          id="alerts-port"
          label="Port"
          value={draft.port}
          onChange={(v) => set('port', v)}
          inputMode="numeric"
        />
        <SelectField
          id="alerts-security"
          label="Security"
          value={draft.security}
          options={[
            { value: 'starttls', label: 'STARTTLS (usually port 587)' },
            { value: 'tls', label: 'TLS (usually port 465)' },
            { value: 'none', label: 'None (a server on this computer only)' },
          ]}
          onChange={(v) => set('security', v)}
        />
        <TextField id="alerts-user" label="User (optional)" value={draft.user} onChange={(v) => set('user', v)} />
        <TextField
          id="alerts-password"
          label="Password"
          type="password"
          autoComplete="new-password"
          value={draft.password}
          onChange={(v) => set('password', v)}
          hint={
            stored?.smtpPassword
              ? 'A password is stored in the keychain; type a new one to replace it.'
              : 'Kept in the OS keychain.'
          }
        />
        <TextField
          id="alerts-from"
          label="Sender address"
          value={draft.from}
          onChange={(v) => set('from', v)}
          placeholder="classbridge@school.nz"
        />
        <TextField
          id="alerts-to"
          label="Recipients"
          value={draft.to}
          onChange={(v) => set('to', v)}
          hint="One or more addresses, separated by commas."
        />
      </fieldset>

      {!compact && (
        <>
          <fieldset>
            <legend>Webhooks</legend>
            <p className="setup-hint">
              A URL per kind of alert (leave empty for none). Each is a signed JSON POST (docs/alerts.md).
            </p>
            {ALERT_KINDS.map((k) => (
              <TextField
                key={k}
                id={`alerts-webhook-${k}`}
                label={KIND_LABELS[k]}
                type="url"
                value={draft.webhooks[k]}
                onChange={(v) => set('webhooks', { ...draft.webhooks, [k]: v })}
              />
            ))}
            <TextField
              id="alerts-secret"
              label="Signing secret"
              type="password"
              autoComplete="new-password"
              value={draft.secret}
              onChange={(v) => set('secret', v)}
              hint={
                stored?.webhookSecret
                  ? 'A secret is stored in the keychain; type a new one to replace it.'
                  : 'Kept in the OS keychain; give the receiver the same one.'
              }
            />
          </fieldset>

          <fieldset>
            <legend>When</legend>
            <TextField
              id="alerts-quiet-start"
              label="Quiet hours start"
              type="time"
              value={draft.quietStart}
              onChange={(v) => set('quietStart', v)}
            />
            <TextField
              id="alerts-quiet-end"
              label="Quiet hours end"
              type="time"
              value={draft.quietEnd}
              onChange={(v) => set('quietEnd', v)}
              hint="Alerts wait until then, in the school's time zone. Leave both empty for none."
            />
            <SelectField
              id="alerts-digest"
              label="Digest"
              value={draft.digestEvery}
              options={[
                { value: 'day', label: 'Every day' },
                { value: 'week', label: 'Every week' },
                { value: 'off', label: 'None' },
              ]}
              onChange={(v) => set('digestEvery', v)}
            />
            <TextField
              id="alerts-digest-at"
              label="Digest at"
              type="time"
              value={draft.digestAt}
              onChange={(v) => set('digestAt', v)}
            />
            {draft.digestEvery === 'week' && (
              <SelectField
                id="alerts-digest-weekday"
                label="Digest on"
                value={draft.digestWeekday}
                options={WEEKDAYS.map((d, i) => ({ value: String(i + 1), label: d }))}
                onChange={(v) => set('digestWeekday', v)}
              />
            )}
            <SelectField
              id="alerts-late"
              label="Late SMS data"
              value={draft.lateMode}
              options={[
                { value: 'learn', label: 'Learn how often the SMS sends' },
                { value: 'fixed', label: 'I say how often' },
                { value: 'off', label: 'Do not check' },
              ]}
              onChange={(v) => set('lateMode', v)}
            />
            {draft.lateMode === 'fixed' && (
              <TextField
                id="alerts-late-hours"
                label="The SMS sends at least every (hours)"
                value={draft.lateHours}
                onChange={(v) => set('lateHours', v)}
                inputMode="numeric"
              />
            )}
          </fieldset>
        </>
      )}

      <div className="toolbar">
        <button type="button" className="button-primary" onClick={() => void onSave()} disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save alerts'}
        </button>
        <button type="button" onClick={() => test.mutate()} disabled={test.isPending}>
          {test.isPending ? 'Sending…' : 'Send test alerts'}
        </button>
      </div>
      <div role="status">
        {message && <p className={`notice ${message.ok ? 'notice-ok' : 'notice-problem'}`}>{message.text}</p>}
        {test.isError && <p className="notice notice-problem">Not sent: {test.error.message}</p>}
        {test.data && <TestResults channels={test.data.channels} />}
      </div>
      {!compact && status.data && status.data.recent.some((r) => !r.ok) && (
        <RecentFailures recent={status.data.recent} />
      )}
    </div>
  );
}

function TestResults({ channels }: { channels: ApiOutput<'alerts:test'>['channels'] }) {
  if (channels.length === 0) return <p>No channel takes these alerts: nothing was sent.</p>;
  return (
    <ul className="plain-list">
      {channels.map((c) => (
        <li key={`${c.channel} ${c.target}`}>
          {c.ok ? '✓' : '✕'} {c.channel === 'email' ? 'Email to' : 'Webhook'} {c.target}
          {c.ok ? ` (${c.kinds.length} sent)` : `: ${c.error ?? 'not sent'}`}
        </li>
      ))}
    </ul>
  );
}

function RecentFailures({ recent }: { recent: ApiOutput<'alerts:status'>['recent'] }) {
  const failures = recent.filter((r) => !r.ok).slice(0, 5);
  return (
    <div className="notice notice-warning">
      <p>
        <strong>Recent alerts that were not delivered:</strong>
      </p>
      <ul className="plain-list">
        {failures.map((r) => (
          <li key={`${r.at} ${r.channel} ${r.target} ${r.kind}`}>
            {r.at} — {KIND_LABELS[r.kind]} by {r.channel} to {r.target}: {r.error}
          </li>
        ))}
      </ul>
    </div>
  );
}
