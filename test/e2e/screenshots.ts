// Takes the README's screenshots from the demo workspace: `npm run screenshots` (writes docs/screenshots/*.png).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import buildWeb from './build-web.ts';
import { launchChromium, newContext, signIn, startServer } from './support.ts';

const OUT = process.argv[2] ?? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
mkdirSync(OUT, { recursive: true });

await buildWeb();
const server = await startServer();
const browser = await launchChromium();
try {
  const desk = await newContext(browser);
  const page = await desk.newPage();
  await signIn(page, server.url, 'manager');
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${OUT}/board.png` });

  // The order page of an order with some history: the first card of "On press".
  const number = await page.locator('[data-stage="quality_check"] [data-order]').first().getAttribute('data-order');
  await page.goto(`${server.url}/orders/${number}`);
  await page.locator('[data-history] li').first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/order.png` });

  // The Reports page over the demo's eight weeks of history: its filters, throughput and lead time.
  const from = new Date(Date.now() - 8 * 7 * 86_400_000).toISOString().slice(0, 10);
  await page.goto(`${server.url}/reports?from=${from}`);
  await page.locator('[data-report="lead-time"][data-ready="true"]').waitFor();
  await page.waitForTimeout(600);
  await page.screenshot({ path: `${OUT}/reports.png` });

  const floor = await newContext(browser);
  const production = await floor.newPage();
  await signIn(production, server.url, 'production');
  await production.goto(`${server.url}/queue`);
  await production.locator('[data-queue] li').first().waitFor();
  await production.waitForTimeout(300);
  await production.screenshot({ path: `${OUT}/queue.png` });

  const phone = await newContext(browser, { width: 390, height: 844 });
  const mobile = await phone.newPage();
  await signIn(mobile, server.url, 'sales');
  await mobile.waitForTimeout(300);
  await mobile.screenshot({ path: `${OUT}/board-phone.png` });

  // The wall-screen view of production's own stages, in priority lanes.
  const wall = await production.context().newPage();
  await wall.setViewportSize({ width: 1920, height: 1080 });
  await wall.goto(`${server.url}/board?mine=1&lanes=priority`);
  await wall.locator('[data-board][data-ready="true"]').waitFor();
  await wall.getByRole('button', { name: 'Wall screen' }).click();
  await wall.waitForTimeout(300);
  await wall.screenshot({ path: `${OUT}/board-wall.png` });
  await wall.getByRole('button', { name: 'Leave wall screen' }).click();

  const adminContext = await newContext(browser);
  const admin = await adminContext.newPage();
  await signIn(admin, server.url, 'admin');
  await admin.goto(`${server.url}/admin/workflows`);
  await admin.locator('[data-form="workflow"]').waitFor();
  await admin.screenshot({ path: `${OUT}/admin-workflows.png` });

  // Settings: the shop's profile beside a live preview of its tracking page.
  await admin.goto(`${server.url}/settings`);
  await admin.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  await admin.waitForTimeout(300);
  await admin.screenshot({ path: `${OUT}/settings.png` });

  // A customer's page: their orders, on-time rate and lead time. The demo's first customer with most orders.
  await admin.goto(`${server.url}/customers`);
  await admin.locator('a[href^="/customers/"]').first().click();
  await admin.waitForURL('**/customers/*');
  await admin.waitForTimeout(600);
  await admin.screenshot({ path: `${OUT}/customer.png` });

  // My account: password, two-factor sign-in, notification choices.
  await admin.goto(`${server.url}/account`);
  await admin.waitForTimeout(400);
  await admin.screenshot({ path: `${OUT}/account.png` });

  // Production's inbox, behind the bell.
  await production.goto(`${server.url}/notifications`);
  await production.waitForTimeout(600);
  await production.screenshot({ path: `${OUT}/notifications.png` });

  // The shop floor: a traveller (its first page rendered by poppler) and the station view on a phone.
  const onPress = number;
  const pdf = await admin.request.get(`${server.url}/api/v1/orders/${onPress}/traveller.pdf?paper=a4`);
  const pdfPath = join(tmpdir(), `floorboard-traveller-${process.pid}.pdf`);
  writeFileSync(pdfPath, await pdf.body());
  execFileSync('pdftoppm', ['-png', '-r', '70', '-singlefile', pdfPath, join(OUT, 'traveller')]);
  const station = await (await newContext(browser, { width: 390, height: 844 })).newPage();
  await signIn(station, server.url, 'production');
  await station.goto(`${server.url}/station/${onPress}`);
  await station.waitForTimeout(600);
  await station.screenshot({ path: `${OUT}/station-phone.png` });
  console.log(`screenshots written to ${OUT}`);
} finally {
  await browser.close();
  await server.stop();
}
