// Test helpers for the alerts (not a test itself): a real SMTP server and a real webhook receiver on
// 127.0.0.1, and a store with the alerts' tables.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { openStore, type Store } from '../core/store/store';

export interface SmtpReceiver {
  port: number;
  mails: ParsedMail[];
  /** The envelope recipients of each mail (RCPT TO), in order. */
  envelopes: string[][];
  /** Logins seen, as user:password. */
  logins: string[];
  /** Whether each mail arrived over TLS. */
  secured: boolean[];
  close(): Promise<void>;
}

/** An SMTP server on 127.0.0.1 that keeps every mail, parsed (mailparser). */
export async function startSmtp(options: SMTPServerOptions = {}): Promise<SmtpReceiver> {
  const mails: ParsedMail[] = [];
  const envelopes: string[][] = [];
  const logins: string[] = [];
  const secured: boolean[] = [];
  const server = new SMTPServer({
    disabledCommands: options.key ? [] : ['STARTTLS'],
    authOptional: true,
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push(`${auth.username ?? ''}:${auth.password ?? ''}`);
      if (auth.password === 'right-password') callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        envelopes.push(session.envelope.rcptTo.map((r) => r.address));
        secured.push(session.secure);
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            mails.push(mail);
            callback();
          })
          .catch((err: Error) => callback(err));
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    envelopes,
    logins,
    secured,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface WebhookHit {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver on 127.0.0.1: answers each request with the next status of `answers` (200 after them). */
export async function startWebhook(answers: number[] = []): Promise<{
  url: string;
  hits: WebhookHit[];
  close(): Promise<void>;
}> {
  const hits: WebhookHit[] = [];
  const queue = [...answers];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = queue.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/classbridge`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A store in `dir` (its migrations give the alerts' tables, 023). */
export function alertsStore(dir: string): Store {
  return openStore({ file: join(dir, 'classbridge.db') });
}
