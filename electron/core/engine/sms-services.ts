import { createHash } from 'node:crypto';
import type { Status } from '../contract/contract';
import type { Logger } from '../logging/logger';
import type { SecretStore } from '../secrets';
import { startExportWatch } from '../sms/export-watch-service';
import { PUSH_SECRET, startReceiverService } from '../sms/receiver-service';
import type { Store } from '../store/store';

export interface SmsServicesDeps {
  store: Store;
  secrets: SecretStore;
  dataDir: string;
  logger: Logger;
  onChanged: () => void;
}

export interface SmsServices {
  /** The receiver's state for status:get (null until it has started once). */
  status(): Status['receiver'];
  /** Restarts the receiver and export watch if the SMS connection or its push secret changed. */
  refresh(): void;
  /** Closes the receiver (new pushes get a retryable error; a push being assembled is kept spooled). */
  close(): Promise<void>;
}

/**
 * The SMS intake the engine runs while it serves (the app, `classbridge serve`): the receiver SMSs
 * push to and the export-folder watch. Each (re)start happens one at a time, and only when what they
 * depend on changed (the SMS connection or its push secret): a restart in the middle of a KAMAR push
 * would spoil it, and most settings changes (pausing, a schedule) have nothing to do with it.
 */
export function startSmsServices(deps: SmsServicesDeps): SmsServices {
  type Receiver = Awaited<ReturnType<typeof startReceiverService>>;
  let receiver: Receiver | undefined;
  let exportWatch: { close(): void } | undefined;
  let chain: Promise<void> = Promise.resolve();
  let signature: string | undefined;
  /** The SMS's provider and source as last watched: a change means the new source is read at once. */
  let watchedSource: string | undefined;
  let closed = false;

  async function currentSignature(): Promise<string> {
    const sms = deps.store.connections.list().find((c) => c.kind === 'sms');
    const secret = sms ? await deps.secrets.get(sms.id, PUSH_SECRET).catch(() => 'keychain-unavailable') : undefined;
    const secretHash = secret ? createHash('sha256').update(secret).digest('hex') : '';
    return JSON.stringify([sms ?? null, secretHash]);
  }

  function refresh(): void {
    chain = chain.then(async () => {
      if (closed) return;
      const next = await currentSignature();
      if (next === signature) return;
      signature = next;
      exportWatch?.close();
      const sms = deps.store.connections.list().find((c) => c.kind === 'sms');
      const source = sms ? JSON.stringify([sms.provider, sms.source ?? null]) : '';
      const sourceChanged = watchedSource !== undefined && watchedSource !== source;
      watchedSource = source;
      exportWatch = startExportWatch({
        store: deps.store,
        logger: deps.logger,
        onChanged: deps.onChanged,
        sourceChanged,
      });
      await receiver?.close();
      receiver = await startReceiverService({
        store: deps.store,
        secrets: deps.secrets,
        dataDir: deps.dataDir,
        logger: deps.logger,
        onChanged: deps.onChanged,
      }).catch((err: unknown): Receiver => {
        // E.g. no OS keychain: the admin sees why on the dashboard, instead of a silent gap.
        deps.logger.error({ err }, 'SMS receiver failed');
        const reason = `it could not start: ${err instanceof Error ? err.message : String(err)}`;
        return { status: { running: false, warnings: [], reason }, close: async () => undefined };
      });
      deps.onChanged();
    });
  }

  refresh();
  return {
    status: () => receiver?.status ?? null,
    refresh,
    async close() {
      closed = true;
      exportWatch?.close();
      await chain.catch(() => undefined);
      await receiver?.close();
    },
  };
}
