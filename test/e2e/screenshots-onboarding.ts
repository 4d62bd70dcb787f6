// Takes the screenshots of a shop's first hour: the setup screen and "Add your team" on a fresh database, and the
// Import page on the demo (`npm run screenshots` runs this after the demo's; alone:
// `node bin/run-ts.js test/e2e/screenshots-onboarding.ts`).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import buildWeb from './build-web.ts';
import { launchChromium, newContext, signIn, startServer } from './support.ts';

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
  await importPage();
  console.log(`onboarding screenshots written to ${OUT}`);
} finally {
  await browser.close();
  await fresh.stop();
}

/** The Import page on the demo, a spreadsheet read: its mapping, an unmatched status value mapped, the preview. */
async function importPage(): Promise<void> {
  const demo = await startServer();
  try {
    const page = await (await newContext(browser, { width: 1440, height: 1720 })).newPage();
    await signIn(page, demo.url, 'manager');
    await page.goto(`${demo.url}/import`);
    const csv = [
      'Order No,Title,Customer,Customer email,Garment,Quantity,Due date,Status,Order received,Awaiting customer proof approval,On press,Shipped',
      'WB-301,Club hoodies,Harbour Rowing,kit@harbourrowing.example,Hoodie,40,2027-01-20,At the printer,2026-11-02 09:00,2026-11-04 16:00,2026-11-12 10:30,',
      'WB-302,Launch tees,Lumen Studio,hello@lumen.example,T-shirt,120,2027-01-25,At the printer,2026-11-05 14:00,2026-11-06 11:00,2026-11-16 08:15,',
      'WB-303,Staff caps,Copper Kettle,,Cap,25,2027-02-01,Order received,2026-11-20 11:00,,,',
      'WB-304,Away kit,Harbour FC,kit@harbourfc.example,T-shirt,60,2026-11-30,Shipped,2026-10-26 10:00,2026-10-28 09:00,2026-11-09 13:00,2026-11-13 15:30',
    ].join('\r\n');
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'whiteboard.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('[data-action="read-file"]').click();
    await page.locator('[data-status-value="At the printer"] select').selectOption('on_press');
    await page.locator('[data-action="check-again"]').click();
    await page.getByRole('heading', { name: 'Ready to import' }).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(300);
    // Not a full-page shot: the top bar stays at the top of the window, and would be drawn across the middle.
    await page.screenshot({ path: `${OUT}/import.png` });
  } finally {
    await demo.stop();
  }
}
