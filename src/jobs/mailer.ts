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
