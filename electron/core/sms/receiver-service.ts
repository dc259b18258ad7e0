import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SmsImportError, type AdapterLogger } from '../../../adapters/contract';
import { startKamarReceiver, type KamarReceiver } from '../../../adapters/sms/kamar';
import { SMS_PROVIDER_INFO, type SmsConnection } from '../model';
import type { SecretStore } from '../secrets';
import type { Store } from '../store/store';
import { importSmsSource } from './import-snapshot';
import { createSmsAdapter } from './sms-adapter-factory';

export const PUSH_SECRET = 'push-secret';
const RECEIVER_KEY = 'receiver-key';
const CERT_FILE = 'receiver-cert.pem';

export interface ReceiverServiceDeps {
  store: Store;
  secrets: SecretStore;
  dataDir: string;
  logger: AdapterLogger;
  /** Told when the snapshot or the run history changed (a push or an upload was handled). */
  onChanged?(): void;
  /** Tests shorten KAMAR's quiet time after the last chunk. */
  settleMs?: number;
}

export interface ReceiverStatus {
  running: boolean;
  url?: string;
  fingerprint?: string;
  warnings: string[];
  /** Why it is not running, in words for the admin. */
  reason?: string;
}

/** Receiver settings an admin sets on the SMS connection (options), with their defaults. */
export function receiverSettings(connection: SmsConnection): {
  host: string;
  port: number;
  tls: 'generated' | 'none';
  allowInsecure: boolean;
  username: string;
} {
  const o = connection.options;
  return {
    host: typeof o.receiverHost === 'string' ? o.receiverHost : '127.0.0.1',
    port: typeof o.receiverPort === 'number' ? o.receiverPort : 8443,
    tls: o.receiverTls === 'none' ? 'none' : 'generated',
    allowInsecure: o.allowInsecureHttp === true,
    username: typeof o.receiverUsername === 'string' ? o.receiverUsername : 'classbridge',
  };
}

/**
 * Runs the receiver for an SMS that pushes to ClassBridge (KAMAR; uploads for providers without a
 * direct link). A completed push becomes the current snapshot; a half-finished one never does. The
 * generated certificate is kept (its key in the keychain) so the fingerprint the admin accepted in
 * KAMAR stays the same across restarts.
 */
export async function startReceiverService(
  deps: ReceiverServiceDeps,
): Promise<{ status: ReceiverStatus; close(): Promise<void> }> {
  const idle = (reason: string) => ({ status: { running: false, warnings: [], reason }, close: async () => undefined });
  const sms = deps.store.connections.list().find((c): c is SmsConnection => c.kind === 'sms');
  if (!sms || SMS_PROVIDER_INFO[sms.provider].route !== 'push')
    return idle('The SMS does not send data to ClassBridge.');
  const secret = await deps.secrets.get(sms.id, PUSH_SECRET);
  if (!secret) return idle('No secret yet: use Get Secret in the setup wizard, then enter it in the SMS.');

  const settings = receiverSettings(sms);
  const tls =
    settings.tls === 'none'
      ? ({ kind: 'none', allowInsecure: settings.allowInsecure } as const)
      : await savedCertificate(deps, sms.id);
  const baseline = deps.store.snapshot.meta() ? deps.store.snapshot.read() : undefined;
  const uploadDir = join(deps.dataDir, 'uploads');
  mkdirSync(uploadDir, { recursive: true, mode: 0o700 });
  let receiver: KamarReceiver;
  try {
    receiver = await startKamarReceiver({
      host: settings.host,
      port: settings.port,
      tls,
      username: settings.username,
      secret,
      logger: deps.logger,
      uploadDir,
      ...(baseline ? { baseline } : {}),
      ...(deps.settleMs !== undefined ? { settleMs: deps.settleMs } : {}),
      onSnapshot: (result, info) => {
        deps.store.snapshot.replace(
          result.snapshot,
          `${SMS_PROVIDER_INFO[sms.provider].label} ${info.sync} push (${info.chunks} parts)`,
        );
        deps.logger.info(
          { sync: info.sync, chunks: info.chunks, warnings: result.warnings.length },
          'SMS push imported',
        );
        deps.onChanged?.();
      },
      onDiscard: (info) =>
        deps.logger.warn({ sync: info.sync, reason: info.reason }, 'SMS push discarded; the previous snapshot stays'),
      onUpload: (upload) => void importUpload(deps, sms, upload.format, upload.path),
    });
  } catch (err) {
    return idle(`The receiver could not start: ${(err as Error).message}`);
  }
  if (receiver.certificate && tls.kind === 'generated') {
    await deps.secrets.set(sms.id, RECEIVER_KEY, receiver.certificate.key);
    writeFileSync(join(deps.dataDir, CERT_FILE), receiver.certificate.cert);
  }
  return {
    status: {
      running: true,
      url: receiver.url,
      ...(receiver.fingerprint ? { fingerprint: receiver.fingerprint } : {}),
      warnings: receiver.warnings,
    },
    close: () => receiver.close(),
  };
}

/**
 * An export uploaded with the secret (providers without a direct link) is imported like a picked
 * file. A refused export leaves the snapshot as it was and is recorded as a failed run with the
 * file, line and field, so the admin sees it in the app, not only in the log.
 */
async function importUpload(
  deps: ReceiverServiceDeps,
  sms: SmsConnection,
  format: 'csv' | 'oneroster',
  path: string,
): Promise<void> {
  const runId = deps.store.runs.start(null, 'profiles', 'schedule');
  try {
    const adapter = await createSmsAdapter(format, { path, connection: sms });
    const { meta, warnings } = await importSmsSource(deps.store, adapter, { kind: 'path', path }, `${format} upload`);
    deps.store.runs.finish(
      runId,
      'ok',
      { ...meta.counts, warnings: warnings.length },
      `Imported an uploaded ${format} export.`,
    );
    deps.onChanged?.();
  } catch (err) {
    const message = err instanceof SmsImportError ? err.describe() : (err as Error).message;
    deps.store.runs.addError(runId, {
      recordKind: 'file',
      recordKey: basename(path),
      message,
      fix: 'Correct the export in the SMS and upload it again; the previous data is still in use.',
    });
    deps.store.runs.finish(runId, 'failed', {}, `An uploaded ${format} export was refused: ${message}`);
    deps.logger.warn({ format, error: message }, 'uploaded SMS export refused');
    deps.onChanged?.();
  }
}

async function savedCertificate(deps: ReceiverServiceDeps, connectionId: string) {
  const certFile = join(deps.dataDir, CERT_FILE);
  const key = existsSync(certFile) ? await deps.secrets.get(connectionId, RECEIVER_KEY) : undefined;
  if (key) return { kind: 'supplied', cert: readFileSync(certFile, 'utf8'), key } as const;
  return { kind: 'generated' } as const;
}
