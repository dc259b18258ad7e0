/**
 * Alerts by email over SMTP (nodemailer). The password comes from the keychain at send time and
 * goes nowhere else; STARTTLS is required when chosen (a server that does not offer it is refused,
 * not used in clear), and "none" is allowed only to a server on this computer (model/alerts.ts).
 */
import nodemailer from 'nodemailer';
import type { AlertEmail } from '../model';
import type { AlertBody } from './alert-body';

export interface EmailDeps {
  email: AlertEmail;
  password?: string;
  /** Extra trust for the server's certificate (tests: a self-signed one); the system's CAs otherwise. */
  ca?: string;
}

export interface Mailer {
  send(body: AlertBody): Promise<void>;
  close(): void;
}

export function createMailer({ email, password, ca }: EmailDeps): Mailer {
  const transport = nodemailer.createTransport({
    host: email.host,
    port: email.port,
    secure: email.security === 'tls',
    requireTLS: email.security === 'starttls',
    ignoreTLS: email.security === 'none',
    ...(email.user ? { auth: { user: email.user, pass: password ?? '' } } : {}),
    ...(ca ? { tls: { ca } } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  return {
    async send(body) {
      await transport.sendMail({
        from: email.from,
        to: email.to,
        subject: body.title,
        text: emailText(body),
        headers: { 'X-ClassBridge-Alert': body.kind, 'X-ClassBridge-Alert-Id': body.id },
      });
    },
    close: () => transport.close(),
  };
}

export function emailText(body: AlertBody): string {
  return `${body.text}\n\n${body.action}\n\n— ClassBridge (alert ${body.kind}, raised ${body.raisedAt})\n`;
}

/** An SMTP failure in words, with what to check. */
export function describeEmailError(err: unknown, email: AlertEmail): string {
  const e = err as { code?: string; message?: string; responseCode?: number };
  const where = `${email.host}:${email.port}`;
  switch (e.code) {
    case 'EAUTH':
      return `The SMTP server ${where} refused the login${email.user ? ` of ${email.user}` : ''}: check the user and the password (Settings → Alerts). (${e.message ?? ''})`;
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'ETIMEDOUT':
      return `Could not talk to the SMTP server ${where}: check the host, the port and the security (STARTTLS is usually port 587, TLS 465). (${e.message ?? ''})`;
    case 'EENVELOPE':
      return `The SMTP server ${where} refused the sender or a recipient: ${e.message ?? ''}`;
    default:
      if (/STARTTLS/i.test(e.message ?? ''))
        return `The SMTP server ${where} does not offer STARTTLS: choose TLS (port 465) if it supports it. (${e.message ?? ''})`;
      return `Sending by ${where} failed: ${e.message ?? String(err)}`;
  }
}
