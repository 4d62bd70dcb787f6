// "Send a test e-mail": one message through the SMTP server now, and the server's answer (or why it failed) in plain
// words, so an admin knows customer e-mail works before a customer misses one.
import { mayAdminister } from '../domain/roles.ts';
import { smtpTrial } from '../jobs/mailer.ts';
import type { Actor, AppContext } from './context.ts';
import { forbidden, validationFailed } from './problem.ts';
import { automationSettings, isMaskedSmtpUrl } from './settings.ts';

export interface TestEmailRequest {
  to: string;
  /** Try this server instead of the saved one (the settings form before saving); a masked URL means the saved one. */
  smtpUrl?: string | undefined;
  from?: string | undefined;
}

export interface TestEmailResult {
  sent: boolean;
  /** The SMTP server's own last words ("250 2.0.0 Ok: queued as ..."), when it said any. */
  serverAnswer: string | null;
  /** Why it was not sent, in plain words; null when it was. */
  error: string | null;
  /** The server tried, without its password. */
  server: string;
}

export async function sendTestEmail(app: AppContext, actor: Actor, req: TestEmailRequest): Promise<TestEmailResult> {
  if (!mayAdminister(actor.role)) throw forbidden('Only an admin may send a test e-mail');
  const settings = await automationSettings(app);
  const url = req.smtpUrl && !isMaskedSmtpUrl(req.smtpUrl) ? req.smtpUrl : settings.email.smtpUrl;
  if (!url) {
    throw validationFailed('No SMTP server is set: enter its URL (smtp://user:password@host:587) first', [
      { path: 'smtpUrl', message: 'is not set' },
    ]);
  }
  if (!/^smtps?:\/\/[^/]+/.test(url)) {
    throw validationFailed('The SMTP URL must start with smtp:// or smtps://', [
      { path: 'smtpUrl', message: 'must be an smtp:// or smtps:// URL' },
    ]);
  }
  const at = app.clock.now().toISOString();
  const result = await smtpTrial(url, {
    from: req.from || settings.email.from,
    to: req.to,
    subject: `Test e-mail from ${settings.email.shopName}`,
    text: [
      `This is a test e-mail from ${settings.email.shopName}'s Floorboard, sent by ${actor.name} at ${at}.`,
      '',
      'If you can read it, customer updates and staff notices will reach their readers.',
    ].join('\n'),
  });
  return { ...result, server: serverOf(url) };
}

function serverOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the SMTP server';
  }
}
