// The board opened cold: 2,000 open orders, a browser with the session cookie and nothing else (no cached files,
// nothing in localStorage), timed from navigation to the first card painted. Median of several runs, each in a
// fresh browser context. Run: `npm run bench -- --only first-paint` or `node bin/run-ts.js bench/first-paint.ts`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { SYSTEM_ACTOR } from '../src/app/context.ts';
import { createUser } from '../src/app/manage-access.ts';
import { systemClock } from '../src/domain/clock.ts';
import { openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrations/index.ts';
import { launchChromium } from '../test/e2e/support.ts';
import { BOARD_RENDER_TARGET_MS } from './board-render.ts';
import { seedBench } from './seed.ts';
import { REPO_ROOT, startServer } from './server.ts';

export interface FirstPaintResult {
  orders: number;
  /** Navigation start to the first card painted, per cold run, ms. */
  runsMs: number[];
  medianMs: number;
  /** When each API request (and script) started, ms after navigation, in the median run: shows what waited for what. */
  requests: Array<{ path: string; startMs: number; endMs: number }>;
  targetMs: number;
  pass: boolean;
}

/** Runs in the page before its own scripts: notes the frame after the first card enters the DOM. */
const WATCH_FIRST_CARD = `(() => {
  const seen = () => document.querySelector('[data-board] [data-order]');
  const observer = new MutationObserver(() => {
    if (!seen()) return;
    observer.disconnect();
    requestAnimationFrame(() => { window.__firstCardPainted = performance.now(); });
  });
  observer.observe(document, { childList: true, subtree: true });
})()`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : Number.NaN;
};

export async function benchFirstPaint(opts: { orders?: number; runs?: number } = {}): Promise<FirstPaintResult> {
  const orders = opts.orders ?? 2000;
  const runs = opts.runs ?? 7;
  await build({ configFile: join(REPO_ROOT, 'web/vite.config.ts'), logLevel: 'warn' });

  const dir = mkdtempSync(join(tmpdir(), 'floorboard-first-paint-'));
  const dbFile = join(dir, 'board.db');
  const db = openDb(`sqlite:${dbFile}`);
  await migrate(db);
  await seedBench(db, orders);
  const email = 'first-paint@bench.floorboard.test';
  const password = 'first-paint-bench';
  await createUser({ db, clock: systemClock }, SYSTEM_ACTOR, { email, name: 'Cold Opener', role: 'manager', password });
  await db.close();

  const server = await startServer({ databaseUrl: `sqlite:${dbFile}`, logFile: join(dir, 'server.log') });
  const browser = await launchChromium();
  try {
    const signIn = await browser.newContext();
    const login = await signIn.request.post(`${server.url}/api/v1/auth/login`, { data: { email, password } });
    if (!login.ok()) throw new Error(`sign-in failed: ${login.status()}`);
    const { cookies } = await signIn.storageState();
    // The server compiles and caches on its first requests; warm it, so the runs measure the browser's cold open.
    await signIn.request.get(`${server.url}/board`);
    await signIn.request.get(`${server.url}/api/v1/workflows`);
    await signIn.close();

    const times: number[] = [];
    const requests: FirstPaintResult['requests'][] = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({
        viewport: { width: 1440, height: 900 },
        storageState: { cookies, origins: [] },
      });
      const page = await context.newPage();
      await page.addInitScript(WATCH_FIRST_CARD);
      await page.goto(`${server.url}/board`);
      await page.locator('[data-board] [data-order]').first().waitFor({ timeout: 30_000 });
      // (Not waitForFunction with a string: the app's Content-Security-Policy refuses eval in the page.)
      let painted: number | undefined;
      while (painted === undefined) {
        painted = (await page.evaluate('window.__firstCardPainted')) as number | undefined;
        if (painted === undefined) await new Promise((r) => setTimeout(r, 20));
      }
      times.push(painted);
      const shown = await page.locator('.toolbar-count').textContent();
      if (!shown?.startsWith(`${orders} `)) throw new Error(`the board shows "${shown}", not ${orders} orders`);
      requests.push(
        (await page.evaluate(
          "performance.getEntriesByType('resource').filter((e) => (e.name.includes('/api/v1/') || e.name.endsWith('.js')) && !e.name.endsWith('/stream')).map((e) => ({ path: e.name.replace(location.origin, ''), startMs: Math.round(e.startTime), endMs: Math.round(e.responseEnd) }))",
        )) as FirstPaintResult['requests'],
      );
      await context.close();
    }
    const medianMs = Math.round(median(times));
    const closest = times.reduce((best, t, i) => (Math.abs(t - medianMs) < Math.abs(times[best]! - medianMs) ? i : best), 0);
    return {
      orders,
      runsMs: times.map(Math.round),
      medianMs,
      requests: requests[closest] ?? [],
      targetMs: BOARD_RENDER_TARGET_MS,
      pass: medianMs < BOARD_RENDER_TARGET_MS,
    };
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatFirstPaint(r: FirstPaintResult): string {
  return [
    `Board opened cold: ${r.orders} open orders, first card painted after ${r.medianMs} ms (median of ${r.runsMs.length}: ` +
      `${r.runsMs.join(', ')}; target < ${r.targetMs} ms: ${r.pass ? 'met' : 'MISSED'})`,
    ...r.requests.map((q) => `  ${q.path}: ${q.startMs}–${q.endMs} ms`),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { orders: { type: 'string', default: '2000' }, runs: { type: 'string', default: '7' } },
  });
  const result = await benchFirstPaint({ orders: Number(values.orders), runs: Number(values.runs) });
  console.log(formatFirstPaint(result));
  if (!result.pass) process.exitCode = 1;
}
