// Takes the screenshots of a shop's first hour: the setup screen and "Add your team" on a fresh database
// (`npm run screenshots` runs this after the demo's; alone: `node bin/run-ts.js test/e2e/screenshots-onboarding.ts`).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import buildWeb from './build-web.ts';
import { launchChromium, startServer } from './support.ts';

const OUT = process.argv[2] ?? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
mkdirSync(OUT, { recursive: true });

await buildWeb();
const fresh = await startServer({ demo: false });
const browser = await launchChromium();
try {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  const page = await context.newPage();
  await page.goto(`${fresh.url}/`);
  await page.getByRole('heading', { name: 'Set up your workspace' }).waitFor();
  await page.getByLabel('Your name').fill('Maria Okafor');
  await page.getByLabel('E-mail').fill('maria@harbourprint.example');
  await page.getByLabel('Password').fill('a long secret phrase');
  await page.getByLabel('Shop name').fill('Harbour Print Co');
  await page.locator('[data-template="commercial-print"] input').check();
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${OUT}/setup.png`, fullPage: true });

  await page.locator('[data-action="complete-setup"]').click();
  await page.getByRole('heading', { name: 'Add your team' }).waitFor();
  const team = [
    ['li@harbourprint.example', 'Li Wei', 'manager'],
    ['tom@harbourprint.example', 'Tom Reyes', 'production'],
    ['ana@harbourprint.example', 'Ana Costa', 'sales'],
  ];
  for (const [i, [email, name, role]] of team.entries()) {
    await page.getByLabel(`E-mail of person ${i + 1}`).fill(email!);
    await page.getByLabel(`Name of person ${i + 1}`).fill(name!);
    await page.getByLabel(`Role of person ${i + 1}`).selectOption(role!);
  }
  await page.locator('[data-action="send-invites"]').click();
  await page.locator('[data-invite-link]').nth(2).waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/setup-team.png` });
  console.log(`onboarding screenshots written to ${OUT}`);
} finally {
  await browser.close();
  await fresh.stop();
}
