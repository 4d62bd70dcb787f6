// Sends queued e-mail over SMTP (nodemailer), with retries; a message that keeps failing for a day is marked failed.
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppContext } from '../app/context.ts';
import { automationSettings } from '../app/settings.ts';
import type { Clock } from '../domain/clock.ts';
import { DEFAULT_RETRY, nextAttemptAt, type RetryPolicy } from '../domain/retry.ts';
import { claimDueEmails, emailFailed, emailSent } from '../store/emails.ts';

export interface MailerOptions {
  clock: Clock;
  retry?: RetryPolicy;
  random?: () => number;
  batch?: number;
}

export class Mailer {
  #transport: { url: string; transporter: Transporter } | null = null;

  constructor(
    private readonly app: AppContext,
    private readonly opts: MailerOptions,
  ) {}

  #transporter(url: string): Transporter {
    if (this.#transport?.url !== url) {
      this.#transport?.transporter.close();
      this.#transport = {
        url,
        transporter: nodemailer.createTransport({
          url,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        }),
      };
    }
    return this.#transport.transporter;
  }

  /** Sends what is due now, one message after another; returns how many it tried. */
  async sendDue(): Promise<number> {
    const { app, opts } = this;
    const settings = await automationSettings(app);
    if (!settings.email.smtpUrl) return 0;
    const now = opts.clock.now();
    const due = await app.db.kysely
      .transaction()
      .execute((tx) =>
        claimDueEmails(
          tx,
          app.db.dialect,
          now.toISOString(),
          new Date(now.getTime() + 5 * 60_000).toISOString(),
          opts.batch ?? 20,
        ),
      );
    const transporter = this.#transporter(settings.email.smtpUrl);
    for (const mail of due) {
      const at = opts.clock.now();
      const firstAttemptAt = mail.firstAttemptAt ?? at.toISOString();
      try {
        await transporter.sendMail({ from: settings.email.from, to: mail.to, subject: mail.subject, text: mail.body });
        await emailSent(app.db.kysely, mail.id, opts.clock.now().toISOString(), firstAttemptAt);
      } catch (err) {
        const retryAt = nextAttemptAt(
          opts.retry ?? DEFAULT_RETRY,
          mail.attempts + 1,
          new Date(firstAttemptAt),
          opts.clock.now(),
          (opts.random ?? Math.random)(),
        );
        await emailFailed(app.db.kysely, mail.id, {
          firstAttemptAt,
          error: err instanceof Error ? err.message : String(err),
          retryAt: retryAt?.toISOString() ?? null,
        });
      }
    }
    return due.length;
  }

  close(): void {
    this.#transport?.transporter.close();
    this.#transport = null;
  }
}

/**
 * Sends one message now, outside the queue: for a message whose body must not be stored (an invite carries a
 * one-time link whose token the database holds only as a hash). Throws when the server refuses or cannot be reached.
 */
export async function sendMailNow(
  smtpUrl: string,
  message: { from: string; to: string; subject: string; text: string },
): Promise<void> {
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  try {
    await transporter.sendMail(message);
  } finally {
    transporter.close();
  }
}

/** What an SMTP server made of one message: its answer, or why it could not be sent, in plain words. */
export interface SmtpTrialResult {
  sent: boolean;
  serverAnswer: string | null;
  error: string | null;
}

/** Sends one message now and reports what the server said, never throwing for the server's sake. */
export async function smtpTrial(
  smtpUrl: string,
  message: { from: string; to: string; subject: string; text: string },
): Promise<SmtpTrialResult> {
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  try {
    const info = (await transporter.sendMail(message)) as { response?: string };
    return { sent: true, serverAnswer: info.response ?? null, error: null };
  } catch (err) {
    const e = err as { code?: string; response?: string; message?: string };
    return { sent: false, serverAnswer: e.response ?? null, error: smtpFailureInWords(smtpUrl, e) };
  } finally {
    transporter.close();
  }
}

/** Nodemailer's error codes as an admin would say them. */
function smtpFailureInWords(smtpUrl: string, e: { code?: string; response?: string; message?: string }): string {
  let host = 'the server';
  try {
    host = new URL(smtpUrl).host;
  } catch {}
  const said = e.response ? `; it said: ${e.response}` : '';
  const detail = e.message ?? 'unknown error';
  switch (e.code) {
    case 'ECONNECTION':
      return /ECONNREFUSED/.test(detail)
        ? `Nothing answers at ${host}: the connection was refused (wrong host or port, or the server is down)`
        : `Could not connect to ${host}: ${detail}`;
    case 'ETIMEDOUT':
      return `${host} did not answer in time (a firewall, or the wrong port)`;
    case 'EDNS':
      return `There is no server named ${host.replace(/:\d+$/, '')} (the name does not resolve)`;
    case 'EAUTH':
      return `${host} refused the user name or password${said}`;
    case 'ENOAUTH':
      return `${host} wants a user name and password: put them in the URL (smtp://user:password@host:587)`;
    case 'ETLS':
      return `The secure connection to ${host} failed: ${detail}`;
    case 'EENVELOPE':
      return `${host} refused the sender or the recipient${said}`;
    case 'EMESSAGE':
      return `${host} refused the message${said}`;
    default:
      return /ECONNREFUSED/.test(detail) ? `Nothing answers at ${host}: the connection was refused` : `Not sent: ${detail}`;
  }
}
