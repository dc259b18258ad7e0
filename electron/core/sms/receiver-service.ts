import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { AdapterLogger } from '../../../adapters/contract';
import { startKamarReceiver, type KamarReceiver } from '../../../adapters/sms/kamar';
import { smsAdapterDescriptor } from '../../../adapters/sms/registry';
import { SMS_PROVIDER_INFO, type SmsConnection } from '../model';
import type { SecretStore } from '../secrets';
import type { Store } from '../store/store';
import { recordRefusedIntake, runIntake, type IntakeDeps } from './intake';
import { toReaderSnapshot } from './normalise-snapshot';
import { readExport } from './read-export';

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
  /** Other addresses of the same receiver (the machine's name, its other networks). */
  otherUrls?: string[];
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
  /** KAMAR's quiet time after the last chunk before a push is complete (default 60 s, README). */
  quietMs: number;
} {
  const o = connection.options;
  return {
    // KAMAR runs on the school's server, not on this computer: with a certificate the receiver listens on
    // every network unless told otherwise. Plain HTTP stays on this computer unless set (tls.ts refuses it
    // off loopback without allowInsecureHttp).
    host: typeof o.receiverHost === 'string' ? o.receiverHost : o.receiverTls === 'none' ? '127.0.0.1' : '0.0.0.0',
    port: typeof o.receiverPort === 'number' ? o.receiverPort : 8443,
    tls: o.receiverTls === 'none' ? 'none' : 'generated',
    allowInsecure: o.allowInsecureHttp === true,
    username: typeof o.receiverUsername === 'string' ? o.receiverUsername : 'classbridge',
    // Advanced (and what the process tests use to keep a restart test short): under 1 s is refused,
    // as a burst of chunks would be cut into several pushes.
    quietMs:
      typeof o.receiverQuietMs === 'number' && Number.isFinite(o.receiverQuietMs) && o.receiverQuietMs >= 1000
        ? o.receiverQuietMs
        : 60_000,
  };
}

/**
 * Runs the receiver for an SMS that pushes to ClassBridge (KAMAR; uploads for providers without a
 * direct link). Every push and upload goes through the one intake door (intake.ts) and so ends as a
 * recorded SMS import run: a completed push stored (or refused by the intake's checks, or by the
 * store), a dropped one (a bad part, counts that do not add up, the receiver stopping mid-push)
 * failed with its reason. KAMAR is answered "OK" before a push is complete, so the run is the only
 * place the admin learns of a push that did not make it. The generated certificate is kept (its key in the keychain) so the fingerprint the admin accepted in
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
  // As the reader's rows (one enrolment row per class), so a part push keeps everyone's classes.
  const baseline = deps.store.snapshot.meta() ? toReaderSnapshot(deps.store.snapshot.read()) : undefined;
  const intake: IntakeDeps = {
    store: deps.store,
    logger: deps.logger,
    ...(deps.onChanged ? { onChanged: deps.onChanged } : {}),
  };
  const label = SMS_PROVIDER_INFO[sms.provider].label;
  const pushSource = (sync: string, chunks: number) =>
    `${label} ${sync} push (${chunks} ${chunks === 1 ? 'part' : 'parts'})`;
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
      settleMs: deps.settleMs ?? settings.quietMs,
      // Chunks are kept in the database before KAMAR is answered "OK"; a push the last run of the
      // receiver left (stopped or killed inside the quiet period) is picked up again here.
      spool: deps.store.kamarSpool,
      // Caregivers (name, email, relationship, link) only while an LMS connection's parents rule is on.
      caregivers: deps.store.connections.list().some((c) => c.kind === 'lms' && c.mapping.parents?.enabled === true),
      // Not stored (refused or a store error) tells the receiver to keep the roll that was stored.
      onSnapshot: async (result, info) =>
        (await runIntake(intake, { source: pushSource(info.sync, info.chunks), trigger: 'push', read: () => result }))
          .ok,
      onDiscard: (info) => {
        const source = pushSource(info.sync, info.chunks);
        const { error } = info;
        // Refused records are recorded one run error each (up to 100); other drops as their reason.
        if (error) {
          return runIntake(intake, {
            source,
            trigger: 'push',
            read: () => {
              throw error;
            },
          });
        }
        return recordRefusedIntake(intake, { source, trigger: 'push', message: info.reason });
      },
      // An export uploaded with the secret (providers without a direct link) is read like a picked file.
      onUpload: ({ format, path }) =>
        runIntake(intake, {
          source: `uploaded ${smsAdapterDescriptor(format).shortName} export ${basename(path)}`,
          trigger: 'upload',
          read: () => readExport(path, { format, connection: sms, store: deps.store }),
        }),
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
      ...(receiver.otherUrls.length > 0 ? { otherUrls: receiver.otherUrls } : {}),
      ...(receiver.fingerprint ? { fingerprint: receiver.fingerprint } : {}),
      warnings: receiver.warnings,
    },
    close: () => receiver.close(),
  };
}

async function savedCertificate(deps: ReceiverServiceDeps, connectionId: string) {
  const certFile = join(deps.dataDir, CERT_FILE);
  const key = existsSync(certFile) ? await deps.secrets.get(connectionId, RECEIVER_KEY) : undefined;
  if (key) return { kind: 'supplied', cert: readFileSync(certFile, 'utf8'), key } as const;
  return { kind: 'generated' } as const;
}
