import { z } from 'zod';

/**
 * Alerts (docs/alerts.md): what ClassBridge tells by email and webhook when nobody watches the
 * desktop. `settings.alerts` in settings.ts. Passwords and signing secrets are never here: they are
 * in the OS keychain (ALERT_SECRETS), set through `alerts:setSecret`.
 */

/** Every kind of alert, one per transition (electron/core/alerts/transitions.ts decides). */
export const ALERT_KINDS = ['problem', 'held', 'links', 'update', 'late-source', 'digest'] as const;
export const AlertKindSchema = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKindSchema>;

/** The keychain entries alerts use, under the pseudo connection ALERTS_SECRET_OWNER. */
export const ALERT_SECRET_NAMES = ['smtp-password', 'webhook-secret'] as const;
export const AlertSecretNameSchema = z.enum(ALERT_SECRET_NAMES);
export type AlertSecretName = z.infer<typeof AlertSecretNameSchema>;
/**
 * The keychain "connection" alert secrets are kept under. It starts with an underscore, which no
 * connection id may (connection.ts), so removing a connection never removes them.
 */
export const ALERTS_SECRET_OWNER = '_alerts';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a time like 07:30');

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host.trim().toLowerCase());
}

export const SmtpSecuritySchema = z.enum(['starttls', 'tls', 'none']);

export const AlertEmailSchema = z
  .object({
    host: z.string().trim().min(1, 'Give the SMTP server, e.g. smtp.school.nz').max(255),
    port: z.number().int().min(1).max(65535).default(587),
    /** starttls: plain connection upgraded, required (port 587); tls: TLS from the start (465); none: loopback only. */
    security: SmtpSecuritySchema.default('starttls'),
    /** The SMTP user; absent: the server takes mail without a login (a relay on the school network). */
    user: z.string().trim().min(1).max(255).optional(),
    from: z.email('Give the sender as an email address'),
    to: z.array(z.email('Each recipient must be an email address')).min(1, 'Give at least one recipient').max(20),
  })
  .superRefine((email, ctx) => {
    if (email.security === 'none' && !isLoopbackHost(email.host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['security'],
        message:
          'Mail without TLS is only allowed to a server on this computer (127.0.0.1): choose STARTTLS or TLS for ' +
          `${email.host}, or the password and the alerts would cross the network in clear text.`,
      });
    }
  });
export type AlertEmail = z.infer<typeof AlertEmailSchema>;

const WebhookUrlSchema = z.url({ protocol: /^https?$/, error: 'Give the webhook as an http(s) URL' });

export const AlertSettingsSchema = z.object({
  /** Off until the admin turns alerts on (wizard or Settings → Alerts). */
  enabled: z.boolean().default(false),
  email: AlertEmailSchema.optional(),
  /** The kinds sent by email (all by default). */
  emailKinds: z.array(AlertKindSchema).default([...ALERT_KINDS]),
  /** A webhook URL per kind: a kind without one is not sent by webhook. */
  webhooks: z.partialRecord(AlertKindSchema, WebhookUrlSchema).default({}),
  /**
   * Alerts wait until quiet hours end (in the school's time zone); a window may cross midnight
   * (22:00–06:30). The test alert never waits.
   */
  quietHours: z.object({ start: HHMM, end: HHMM }).optional(),
  /** A late SMS source: learnt from the intake history, or every `everyHours` given by the admin. */
  lateSource: z
    .object({
      mode: z.enum(['learn', 'fixed', 'off']).default('learn'),
      /** With mode "fixed": a new import is expected at least this often. */
      everyHours: z
        .number()
        .min(1)
        .max(31 * 24)
        .optional(),
    })
    .superRefine((late, ctx) => {
      if (late.mode === 'fixed' && late.everyHours === undefined)
        ctx.addIssue({ code: 'custom', path: ['everyHours'], message: 'Say how often the SMS sends (hours)' });
    })
    .default({ mode: 'learn' }),
  /** The digest: what ran, counts, errors open, results delivered. */
  digest: z
    .object({
      every: z.enum(['off', 'day', 'week']).default('day'),
      /** The school's local time it is sent at. */
      at: HHMM.default('07:30'),
      /** With every "week": 1 = Monday … 7 = Sunday. */
      weekday: z.number().int().min(1).max(7).default(1),
    })
    .default({ every: 'day', at: '07:30', weekday: 1 }),
});
export type AlertSettings = z.infer<typeof AlertSettingsSchema>;

/** A late SMS source on the Status (dashboard, tray) and in alerts. */
export const LateSourceSchema = z.object({
  /** "KAMAR" */
  source: z.string(),
  /** The last import that was stored. */
  lastAt: z.string(),
  /** The expected gap, in hours (learnt or set). */
  everyHours: z.number(),
  learnt: z.boolean(),
  /** "No KAMAR import since Monday 22:14 — usually every night." */
  words: z.string(),
  fix: z.string(),
});
export type LateSource = z.infer<typeof LateSourceSchema>;
