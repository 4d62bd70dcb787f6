// Browser tests' helpers: a real Floorboard server in a child process on a temp SQLite file or a scratch PostgreSQL
// database, Debian's Chromium driven by playwright-core, and signing in as a demo user.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { scratchPostgres } from '../support/cli.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const DEMO_PASSWORD = 'floorboard-demo';
export const demoEmail = (role: string) => `${role}@demo.floorboard.test`;

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A port nobody listens on right now (the server cannot take PORT=0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export type Database = 'sqlite' | 'postgres';

/** The databases a browser test file runs on, one server each (FLOORBOARD_E2E_DB narrows it to one). */
export const DATABASES: Database[] = process.env.FLOORBOARD_E2E_DB
  ? [process.env.FLOORBOARD_E2E_DB as Database]
  : ['sqlite', 'postgres'];

export interface RunningServer {
  url: string;
  dbPath: string;
  stop: () => Promise<void>;
}

let scratchCount = 0;

/**
 * Starts `floorboard serve --demo` on a fresh SQLite file, or on a scratch PostgreSQL database dropped when it
 * stops (`db: 'postgres'`, on the server postgres-setup.ts checked), and waits until it answers /healthz.
 */
export async function startServer(
  opts: {
    demo?: boolean;
    db?: Database;
    dbPath?: string;
    env?: Record<string, string>;
    /** How long the server may take to answer /healthz (default 60 s; seeding the demo on PostgreSQL takes longer on a busy machine). */
    startWithinMs?: number;
  } = {},
): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'floorboard-e2e-'));
  const dbPath = opts.dbPath ?? join(dir, 'floorboard.db');
  const scratch = opts.db === 'postgres' ? await scratchPostgres(`floorboard_e2e_${process.pid}_${++scratchCount}`) : null;
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['bin/floorboard.js', 'serve', ...(opts.demo === false ? [] : ['--demo'])],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: scratch ? scratch.url : `sqlite:${dbPath}`,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const url = `http://127.0.0.1:${port}`;
  // Seeding the demo on PostgreSQL takes about a minute on a busy two-core machine.
  const startWithin = opts.startWithinMs ?? 180_000;
  const deadline = Date.now() + startWithin;
  for (;;) {
    if (child.exitCode !== null) {
      await scratch?.drop();
      throw new Error(`the server exited (${child.exitCode}):\n${output}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await scratch?.drop();
      throw new Error(`the server did not start within ${startWithin / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    dbPath,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
      await scratch?.drop();
    },
  };
}

/** Signs in through the sign-in page and waits for the board. */
export async function signIn(page: Page, url: string, role: string): Promise<void> {
  await page.goto(`${url}/board`);
  await page.getByLabel('E-mail').fill(demoEmail(role));
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-board][data-ready="true"]').waitFor();
}

export async function newContext(
  browser: Browser,
  viewport = { width: 1440, height: 900 },
  storageState?: Awaited<ReturnType<BrowserContext['storageState']>>,
): Promise<BrowserContext> {
  return browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'UTC', ...(storageState ? { storageState } : {}) });
}

const sessions = new Map<string, Awaited<ReturnType<BrowserContext['storageState']>>>();

/**
 * A page on the board, signed in as `role`: through the sign-in page the first time, then with the same
 * session cookie (the API rate-limits sign-ins, as it should, so tests do not sign in again and again).
 */
export async function boardAs(
  browser: Browser,
  url: string,
  role: string,
  viewport?: { width: number; height: number },
): Promise<Page> {
  const key = `${url} ${role}`;
  const saved = sessions.get(key);
  const context = await newContext(browser, viewport, saved);
  const page = await context.newPage();
  if (saved) {
    await page.goto(`${url}/board`);
    await page.locator('[data-board][data-ready="true"]').waitFor();
  } else {
    await signIn(page, url, role);
    sessions.set(key, await context.storageState());
  }
  return page;
}

/** The API as a demo user, over HTTP with a session cookie and its CSRF token, for setting up a test's orders. */
export async function apiAs(url: string, role: string) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demoEmail(role), password: DEMO_PASSWORD }),
  });
  if (!login.ok) throw new Error(`sign-in as ${role} failed: ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const call = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    get: <T = Record<string, unknown>>(path: string) => call<T>('GET', path),
    post: <T = Record<string, unknown>>(path: string, body: unknown) => call<T>('POST', path, body),
    patch: <T = Record<string, unknown>>(path: string, body: unknown) => call<T>('PATCH', path, body),
    put: <T = Record<string, unknown>>(path: string, body: unknown) => call<T>('PUT', path, body),
  };
}

/** A new order in the first stage, due far ahead and marked rush so it sorts to the top of its column. */
export function demoOrder(title: string, fields: Record<string, unknown> = {}) {
  return {
    workflow: 'custom-apparel',
    title,
    customer: { name: 'E2E Testing Ltd', email: 'qa@e2e.example' },
    dueDate: '2099-12-31',
    priority: 'rush',
    fields: { garment: 'T-shirt', quantity: 25, ...fields },
    items: [{ sku: 'TS-25', description: 'T-shirt, mixed sizes', quantity: 25 }],
  };
}

/** Drags one element onto another with real mouse moves, as a person would. */
export async function drag(page: Page, from: string, to: string): Promise<void> {
  const source = await page.locator(from).boundingBox();
  const target = await page.locator(to).boundingBox();
  if (!source || !target) throw new Error(`cannot drag ${from} to ${to}: not on screen`);
  await page.mouse.move(source.x + source.width / 2, source.y + 20);
  await page.mouse.down();
  await page.mouse.move(source.x + source.width / 2 + 15, source.y + 30, { steps: 3 });
  await page.mouse.move(target.x + target.width / 2, target.y + 160, { steps: 12 });
  await page.mouse.move(target.x + target.width / 2 + 2, target.y + 162, { steps: 2 });
  await page.mouse.up();
}

const AXE_SCRIPT = join(ROOT, 'node_modules/axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/**
 * Runs axe-core on the page as it is now and fails, naming each serious or critical violation (rule, what it asks
 * for, the first few elements), so a page a screen-reader or keyboard user cannot work with does not pass.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const problems = await accessibilityProblems(page, label);
  if (problems) throw new Error(problems);
}

/** What expectAccessible would fail with, or null: for checking many pages and naming every failure at once. */
export async function accessibilityProblems(page: Page, label: string): Promise<string | null> {
  // Evaluated, not added as a <script>: the app's Content-Security-Policy rightly refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(AXE_SCRIPT, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: AxeViolation[] }> } })
      .axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length === 0) return null;
  const lines = serious.map(
    (v) =>
      `  ${v.id} (${v.impact}): ${v.help}\n${v.nodes
        .slice(0, 4)
        .map((n) => `      ${n.target.join(' ')}`)
        .join('\n')}${v.nodes.length > 4 ? `\n      …and ${v.nodes.length - 4} more` : ''}`,
  );
  return `${label}: ${serious.length} serious or critical accessibility violation(s):\n${lines.join('\n')}`;
}
