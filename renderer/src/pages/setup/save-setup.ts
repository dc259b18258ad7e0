import type { ApiClient } from '../../../../electron/core/contract/contract';
import type { Connection, LmsConnection, ProviderList, Settings, SmsConnection } from '../../../../electron/core/model';
import type { SetupDraft, SourceSwitch } from './draft';
import { buildLmsConnection, buildSettings, buildSmsConnection } from './validate';

/**
 * Saves the SMS connection. ClassBridge reads one SMS: when the admin switched provider, the old
 * connection (and its secrets) is removed first, as the engine asks.
 */
export async function saveSmsConnection(
  api: ApiClient,
  draft: SetupDraft,
  connections: Connection[],
  providers: ProviderList,
): Promise<SmsConnection> {
  const existing = connections.find((c): c is SmsConnection => c.kind === 'sms');
  if (existing && existing.id !== draft.sms.id) await api.call('connections:remove', { id: existing.id });
  const connection = buildSmsConnection(draft, providers, existing?.id === draft.sms.id ? existing : undefined);
  return (await api.call('connections:save', connection)) as SmsConnection;
}

export interface SaveOutcome {
  /** True when this was the first set-up: syncing stays paused until the admin applies the first upload. */
  pausedForPreview: boolean;
  lmsIds: string[];
  /** Set when the SMS (provider, route, file or folder) changed: what the preview must wait past. */
  sourceSwitch?: SourceSwitch;
}

/** Whether Save switches the SMS ClassBridge reads: another provider, route, file or folder, or none before. */
export function smsSourceChanges(draft: SetupDraft, connections: Connection[]): boolean {
  if (!draft.useSms || !draft.sms.provider) return false;
  const existing = connections.find((c): c is SmsConnection => c.kind === 'sms');
  if (!existing) return true;
  const source = draft.sms.mode === 'file' ? draft.sms.source.trim() : '';
  return existing.provider !== draft.sms.provider || (existing.source ?? '') !== source;
}

/**
 * Review and save: SMS, each LMS (its token into the keychain), LMS connections the admin removed,
 * then the settings. On a first set-up the schedules are saved paused, so nothing is uploaded before
 * the admin has seen the dry run and pressed Apply.
 */
export async function saveSetup(
  api: ApiClient,
  draft: SetupDraft,
  tokens: Record<string, string>,
  context: { settings: Settings; connections: Connection[]; providers: ProviderList; firstRun: boolean },
  onProgress: (message: string) => void,
): Promise<SaveOutcome> {
  // First set-up: pause before anything is saved. Each save tells the scheduler at once, and a part
  // must not start between an LMS being saved and the settings (paused until Apply) being saved.
  const pausedForPreview = context.firstRun && !context.settings.paused;
  if (pausedForPreview) await api.call('sync:setPaused', { paused: true });
  let sourceSwitch: SourceSwitch | undefined;
  if (smsSourceChanges(draft, context.connections)) {
    // Read just before the switch: the preview waits for an import after these (source-read.ts).
    const before = await api.call('status:get', {});
    sourceSwitch = { snapshotAt: before.snapshot?.importedAt ?? null, importAt: before.lastImport?.startedAt ?? null };
  }
  if (draft.useSms && draft.sms.provider) {
    onProgress('Saving the SMS connection…');
    await saveSmsConnection(api, draft, context.connections, context.providers);
  }
  const keep = new Set(draft.lms.map((l) => l.id));
  for (const old of context.connections) {
    if (old.kind === 'lms' && !keep.has(old.id)) {
      onProgress(`Removing ${old.name}…`);
      await api.call('connections:remove', { id: old.id });
    }
  }
  for (const lms of draft.lms) {
    onProgress(`Saving ${lms.name.trim()}…`);
    const existing = context.connections.find((c): c is LmsConnection => c.kind === 'lms' && c.id === lms.id);
    await api.call('connections:save', buildLmsConnection(lms, existing));
    // At once after its connection (the token belongs to a saved connection). Until it is stored the
    // scheduler leaves this LMS out (electron/core/sync/token-gate), so no run fails for want of it.
    const token = tokens[lms.key]?.trim();
    if (token) await api.call('secrets:set', { connectionId: lms.id, name: 'token', value: token });
  }
  onProgress('Saving the settings…');
  const current = pausedForPreview ? { ...context.settings, paused: true } : context.settings;
  await api.call('settings:save', buildSettings(draft, current, context.firstRun));
  return { pausedForPreview, lmsIds: draft.lms.map((l) => l.id), ...(sourceSwitch ? { sourceSwitch } : {}) };
}
