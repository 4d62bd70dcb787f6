// People look after their own sign-in, in a real browser against a real SMTP server: an admin invites someone by
// e-mail, they accept and sign in; they forget their password and choose a new one through the e-mailed link; they
// turn on two-factor sign-in and sign in with a code from their app, then with a recovery code. On SQLite and on
// PostgreSQL.
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Inbox, startInbox } from '../support/inbox.ts';
import { DATABASES, launchChromium, newContext, type RunningServer, startServer } from './support.ts';

let browser: Browser;
let inbox: Inbox;

beforeAll(async () => {
  browser = await launchChromium();
  inbox = await startInbox();
});
afterAll(async () => {
  await browser?.close();
  await inbox?.close();
});

const linkIn = (text: string, kind: 'invite' | 'reset-password') =>
  new RegExp(`(https?://[^\\s]+/${kind}/[A-Za-z0-9_-]+)`).exec(text)?.[1];

async function freshPage(): Promise<Page> {
  return (await newContext(browser)).newPage();
}

async function signInWithPassword(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const signedInAs = (page: Page, name: string) => page.locator('.whoami-name', { hasText: name }).waitFor();

describe.each(DATABASES)('people on %s', (db) => {
  let server: RunningServer;
  const email = `olu.${db}@harbourprint.example`;

  // No demo to seed: the first admin comes from the environment, so the server is up sooner on a busy machine.
  const ADMIN = { email: 'maria@harbourprint.example', password: 'marias admin password' };

  beforeAll(async () => {
    server = await startServer({
      db,
      demo: false,
      env: { FLOORBOARD_ADMIN_EMAIL: ADMIN.email, FLOORBOARD_ADMIN_PASSWORD: ADMIN.password },
    });
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const settings = await fetch(`${server.url}/api/v1/settings`, {
      method: 'PUT',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({
        email: { smtpUrl: inbox.url, from: 'Harbour Print <floor@harbourprint.example>', shopName: 'Harbour Print' },
        publicUrl: server.url,
      }),
    });
    expect(settings.status).toBe(200);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('invites someone by e-mail; they accept, choose a password and sign in with it', async () => {
    const admin = await freshPage();
    await signInWithPassword(admin, server.url, ADMIN.email, ADMIN.password);
    await signedInAs(admin, 'Administrator');
    await admin.goto(`${server.url}/admin/users`);
    await admin.getByLabel('E-mail of person 1').fill(email);
    await admin.getByLabel('Name of person 1').fill('Olu Bakare');
    await admin.getByLabel('Role of person 1').selectOption('production');
    await admin.locator('[data-action="send-invites"]').click();
    // E-mail is set up: the link went by mail and is not shown.
    await admin.locator(`[data-invite="${email}"]`, { hasText: 'E-mailed' }).first().waitFor();

    const invite = linkIn((await inbox.waitFor(email, (m) => m.text.includes('/invite/'))).text, 'invite')!;
    const olu = await freshPage();
    await olu.goto(invite);
    await olu.getByRole('heading', { name: 'Join Harbour Print' }).waitFor();
    await olu.getByLabel('Choose a password').fill('olus first password');
    await olu.locator('[data-action="accept-invite"]').click();
    await signedInAs(olu, 'Olu Bakare');

    const later = await freshPage();
    await signInWithPassword(later, server.url, email, 'olus first password');
    await signedInAs(later, 'Olu Bakare');
  }, 150_000);

  it('lets someone who forgot their password choose a new one through the e-mailed link, once', async () => {
    const page = await freshPage();
    await page.goto(`${server.url}/`);
    await page.locator('[data-action="forgot-password"]').click();
    await page.getByLabel('E-mail').fill(email);
    await page.locator('[data-action="send-reset"]').click();
    await page.locator('[data-reset-requested]').waitFor();

    const link = linkIn((await inbox.waitFor(email, (m) => m.text.includes('/reset-password/'))).text, 'reset-password')!;
    await page.goto(link);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.locator('[data-form="reset-password"] input[name="password"]').fill('olus second password');
    await page.locator('[data-action="save-password"]').click();
    await page.getByRole('heading', { name: 'Your password is changed' }).waitFor();
    await page.locator('[data-action="go-sign-in"]').click();
    // The e-mail is filled in already.
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByLabel('E-mail').inputValue()).toBe(email);
    await page.getByLabel('Password').fill('olus second password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await signedInAs(page, 'Olu Bakare');

    const again = await freshPage();
    await again.goto(link);
    await again.getByRole('heading', { name: 'This link does not work' }).waitFor();
  }, 150_000);

  it('turns two-factor sign-in on, then signs in with a code from the app and with a recovery code', async () => {
    const page = await freshPage();
    await signInWithPassword(page, server.url, email, 'olus second password');
    await signedInAs(page, 'Olu Bakare');
    await page.locator('.whoami').click();
    await page.getByRole('heading', { name: 'My account' }).waitFor();
    const panel = page.locator('[data-panel="two-factor"]');
    await panel.getByLabel('Your password').fill('olus second password');
    await panel.locator('[data-action="start-two-factor"]').click();
    const secret = (await panel.locator('[data-two-factor-secret]').textContent())!.trim();
    expect(await panel.getByRole('img', { name: /QR code/ }).isVisible()).toBe(true);
    await panel.getByLabel('Code from the app').fill(await generate({ secret }));
    await panel.locator('[data-action="confirm-two-factor"]').click();
    await panel.locator('[data-two-factor="on"]').waitFor();
    const codes = await panel.locator('[data-recovery-code]').allTextContents();
    expect(codes).toHaveLength(10);
    await page.locator('[data-action="sign-out"]').click();

    // The password alone is not enough now: the app's code is asked for. The confirming code's time step is spent,
    // so the test's "app" shows the next one (one step of clock drift is allowed).
    const withCode = await freshPage();
    await signInWithPassword(withCode, server.url, email, 'olus second password');
    await withCode.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
    expect(await withCode.locator('.whoami').count()).toBe(0);
    await withCode.locator('#second-step-code').fill('000000');
    await withCode.locator('[data-action="verify-code"]').click();
    await withCode.locator('[data-form="second-step"] .form-error').waitFor();
    await withCode.locator('#second-step-code').fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await withCode.locator('[data-action="verify-code"]').click();
    await signedInAs(withCode, 'Olu Bakare');

    const withRecovery = await freshPage();
    await signInWithPassword(withRecovery, server.url, email, 'olus second password');
    await withRecovery.locator('[data-action="use-recovery"]').click();
    await withRecovery.getByLabel('Recovery code').fill(codes[0]!);
    await withRecovery.locator('[data-action="verify-code"]').click();
    await signedInAs(withRecovery, 'Olu Bakare');
  }, 150_000);
});
