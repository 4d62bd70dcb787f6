// A real SMTP server for a test (test/support/smtp.ts), with a wait for a mail that is sent in the background.
import { type Mail, MailCatcher } from './smtp.ts';

export type { Mail };

export interface Inbox {
  url: string;
  mails: Mail[];
  /** The first mail to `address` that `match` accepts, waiting for it to arrive (it may be sent in the background). */
  waitFor(address: string, match?: (m: Mail) => boolean, timeoutMs?: number): Promise<Mail>;
  close(): Promise<void>;
}

export async function startInbox(): Promise<Inbox> {
  const catcher = new MailCatcher();
  await catcher.start();
  return {
    url: catcher.url,
    mails: catcher.mails,
    async waitFor(address, match = () => true, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = catcher.to(address).find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no mail to ${address} arrived`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => catcher.stop(),
  };
}
