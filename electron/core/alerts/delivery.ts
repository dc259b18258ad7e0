/**
 * Sends alert bodies on the channels the settings name: the email (for the kinds it takes) and the
 * webhook of each kind. Secrets are read from the keychain per delivery, so a password changed in
 * Settings is used at once. Never throws: each channel's answer is ok or the reason.
 */
import pRetry from 'p-retry';
import { ALERTS_SECRET_OWNER, type AlertKind, type AlertSettings } from '../model';
import type { SecretStore } from '../secrets';
import type { AlertBody } from './alert-body';
import { createMailer, describeEmailError } from './email';
import { postWebhook, redactUrl, type WebhookOptions } from './webhook';

export interface ChannelResult {
  channel: 'email' | 'webhook';
  target: string;
  kinds: AlertKind[];
  ok: boolean;
  error?: string;
}

export interface DeliveryDeps {
  settings: AlertSettings;
  secrets: SecretStore;
  /** Tests: trust for a self-signed SMTP certificate, quicker webhook retries. */
  emailCa?: string;
  webhook?: Omit<WebhookOptions, 'secret'>;
  /** Retries of an email whose server could not be reached or answered "try later" (2, from 2 s). */
  email?: { retries?: number; minTimeoutMs?: number };
}

/** A failure worth a retry: no connection, a timeout, or an SMTP 4xx ("try again later"). */
function transient(err: unknown): boolean {
  const e = err as { code?: string; responseCode?: number };
  if (e.code === 'ECONNECTION' || e.code === 'ETIMEDOUT' || e.code === 'ESOCKET') return true;
  return typeof e.responseCode === 'number' && e.responseCode >= 400 && e.responseCode < 500;
}

async function secret(secrets: SecretStore, name: 'smtp-password' | 'webhook-secret'): Promise<string | undefined> {
  return secrets.get(ALERTS_SECRET_OWNER, name);
}

/** Whether any channel would take an alert of this kind. */
export function hasChannel(settings: AlertSettings, kind: AlertKind): boolean {
  return (settings.email !== undefined && settings.emailKinds.includes(kind)) || settings.webhooks[kind] !== undefined;
}

/**
 * Delivers each body on its channels, one result per channel and body. The email's connection is
 * opened once for all of them.
 */
export async function deliver(
  deps: DeliveryDeps,
  bodies: readonly AlertBody[],
): Promise<{ body: AlertBody; results: ChannelResult[] }[]> {
  const { settings, secrets } = deps;
  const out = bodies.map((body) => ({ body, results: [] as ChannelResult[] }));
  const email = settings.email;
  const forEmail = out.filter((o) => email && settings.emailKinds.includes(o.body.kind));
  if (email && forEmail.length > 0) {
    const target = email.to.join(', ');
    let password: string | undefined;
    let setupError: string | undefined;
    try {
      password = email.user ? await secret(secrets, 'smtp-password') : undefined;
      if (email.user && !password)
        setupError = `No SMTP password is stored for ${email.user}: enter it in Settings → Alerts, or run: printf %s "$PASSWORD" | classbridge alerts secret smtp-password`;
    } catch (err) {
      setupError = (err as Error).message;
    }
    const mailer = setupError
      ? undefined
      : createMailer({ email, ...(password ? { password } : {}), ...(deps.emailCa ? { ca: deps.emailCa } : {}) });
    try {
      for (const o of forEmail) {
        if (!mailer) {
          o.results.push({
            channel: 'email',
            target,
            kinds: [o.body.kind],
            ok: false,
            error: setupError ?? 'not sent',
          });
          continue;
        }
        try {
          const body = o.body;
          await pRetry(() => mailer.send(body), {
            retries: deps.email?.retries ?? 2,
            minTimeout: deps.email?.minTimeoutMs ?? 2000,
            shouldRetry: ({ error }) => transient(error),
          });
          o.results.push({ channel: 'email', target, kinds: [o.body.kind], ok: true });
        } catch (err) {
          o.results.push({
            channel: 'email',
            target,
            kinds: [o.body.kind],
            ok: false,
            error: describeEmailError(err, email),
          });
        }
      }
    } finally {
      mailer?.close();
    }
  }
  let webhookSecret: string | undefined;
  let secretError: string | undefined;
  if (out.some((o) => settings.webhooks[o.body.kind])) {
    try {
      webhookSecret = await secret(secrets, 'webhook-secret');
    } catch (err) {
      secretError = (err as Error).message;
    }
  }
  await Promise.all(
    out.map(async (o) => {
      const url = settings.webhooks[o.body.kind];
      if (!url) return;
      const target = redactUrl(url);
      // Unsigned alerts are never sent: a receiver could not tell them from anyone's.
      const missing =
        secretError ??
        (webhookSecret
          ? undefined
          : 'No webhook signing secret is stored: enter one in Settings → Alerts, or run: printf %s "$SECRET" | classbridge alerts secret webhook-secret');
      if (missing || !webhookSecret) {
        o.results.push({ channel: 'webhook', target, kinds: [o.body.kind], ok: false, error: missing ?? 'not sent' });
        return;
      }
      try {
        await postWebhook(url, o.body, { ...deps.webhook, secret: webhookSecret });
        o.results.push({ channel: 'webhook', target, kinds: [o.body.kind], ok: true });
      } catch (err) {
        o.results.push({ channel: 'webhook', target, kinds: [o.body.kind], ok: false, error: (err as Error).message });
      }
    }),
  );
  return out;
}

/** Per channel: the kinds it took, ok only when it took every one, the first error otherwise. */
export function byChannel(delivered: { results: ChannelResult[] }[]): ChannelResult[] {
  const map = new Map<string, ChannelResult>();
  for (const r of delivered.flatMap((d) => d.results)) {
    const key = `${r.channel} ${r.target}`;
    const had = map.get(key);
    if (!had) {
      map.set(key, { ...r, kinds: [...r.kinds] });
      continue;
    }
    had.kinds.push(...r.kinds);
    if (!r.ok) {
      had.ok = false;
      had.error ??= r.error;
    }
  }
  return [...map.values()];
}
