// Security hardening: standard headers on every answer, cookie flags, a write limit per user, and the sign-in log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { buildServer } from '../../src/http/server.ts';
import { emailOf, type Harness, json, newOrder, PASSWORD, startHarness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

let machine = 0;
function login(email: string, password: string, headers: Record<string, string> = {}) {
  machine += 1;
  return h.server.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
    headers: { 'user-agent': 'SecurityTest/1.0', ...headers },
    remoteAddress: `192.0.2.${machine}`,
  });
}

describe('security headers', () => {
  it('sends a content security policy, frame denial, nosniff and a referrer policy on API answers and pages', async () => {
    for (const url of ['/api/v1/orders', '/api/v1/nowhere', '/board', '/healthz']) {
      const res = await h.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${h.tokens.viewer}` } });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).not.toContain('unsafe-inline');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('same-origin');
      expect(res.headers['cross-origin-opener-policy'], url).toBe('same-origin');
      // Plain HTTP: no HSTS (it would be ignored, and would lock out a server that has no TLS).
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('gives the tracking page a policy of its own: no referrer (the link is the key), its own script, nothing inline without a nonce', async () => {
    const order = json<{ trackingUrl: string }>(await h.as('sales').post('/orders', newOrder()));
    const res = await h.server.inject({ method: 'GET', url: order.trackingUrl });
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-robots-tag']).toContain('noindex');
    const csp = String(res.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(res.body).toContain(`<style nonce="${nonce}">`);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.body).not.toMatch(/<script>|<script [^s]|\son[a-z]+=/);
  });

  it('sends HSTS and Secure cookies when the request came over TLS through a trusted proxy', async () => {
    const app: AppContext = { db: h.db, clock: h.clock };
    const server = await buildServer(app, { trustProxy: true });
    try {
      const res = await server.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: emailOf('viewer'), password: PASSWORD },
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      const cookie = res.cookies.find((c) => c.name === 'fb_session')!;
      expect(cookie).toMatchObject({ httpOnly: true, secure: true, path: '/' });
      expect(String(cookie.sameSite).toLowerCase()).toBe('lax');
    } finally {
      await server.close();
    }
  });
});

describe('the write limit', () => {
  it('slows down one user writing faster than any person could, without holding back anyone else', async () => {
    const app: AppContext = { db: h.db, clock: h.clock };
    const server = await buildServer(app, { writesPerMinute: 5 });
    try {
      const write = (role: 'sales' | 'service') =>
        server.inject({
          method: 'POST',
          url: '/api/v1/orders',
          headers: { authorization: `Bearer ${h.tokens[role]}` },
          payload: newOrder({ fields: { garment: 'Cap', quantity: 1 } }),
        });
      for (let i = 0; i < 5; i++) expect((await write('sales')).statusCode).toBe(201);
      const limited = await write('sales');
      expect(limited.statusCode).toBe(429);
      expect(json(limited)).toMatchObject({ type: 'rate-limited', status: 429 });
      expect(limited.headers['retry-after']).toBeDefined();
      // Another user is not held back, and reading is not a write.
      expect((await write('service')).statusCode).toBe(201);
      const read = await server.inject({
        method: 'GET',
        url: '/api/v1/orders',
        headers: { authorization: `Bearer ${h.tokens.sales}` },
      });
      expect(read.statusCode).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('the sign-in log', () => {
  it('records who signed in when, from where, and every failed attempt, never the password', async () => {
    expect((await login(emailOf('finance'), PASSWORD)).statusCode).toBe(200);
    expect((await login(emailOf('finance'), 'not my password')).statusCode).toBe(401);
    expect((await login('Nobody@Test.Floorboard.test', 'guess')).statusCode).toBe(401);
    const res = await h.as('admin').get('/audit/sign-ins?limit=3');
    expect(res.statusCode).toBe(200);
    const { items, nextCursor } = json<{ items: Array<Record<string, unknown>>; nextCursor: string | null }>(res);
    expect(items).toEqual([
      expect.objectContaining({
        email: 'nobody@test.floorboard.test',
        userId: null,
        outcome: 'failed',
        userAgent: 'SecurityTest/1.0',
      }),
      expect.objectContaining({ email: emailOf('finance'), userId: h.userIds.finance, outcome: 'failed' }),
      expect.objectContaining({
        email: emailOf('finance'),
        userId: h.userIds.finance,
        outcome: 'success',
        at: h.clock.now().toISOString(),
      }),
    ]);
    expect(items[0]!.ip).toMatch(/^192\.0\.2\./);
    expect(res.body).not.toContain('not my password');
    expect(res.body).not.toContain('guess');

    const failed = json<{ items: Array<{ outcome: string }> }>(await h.as('admin').get('/audit/sign-ins?outcome=failed')).items;
    expect(failed.every((s) => s.outcome === 'failed')).toBe(true);
    const mine = json<{ items: Array<{ userId: string }> }>(
      await h.as('admin').get(`/audit/sign-ins?userId=${h.userIds.finance}`),
    );
    expect(mine.items.every((s) => s.userId === h.userIds.finance)).toBe(true);
    if (nextCursor) expect((await h.as('admin').get(`/audit/sign-ins?cursor=${nextCursor}`)).statusCode).toBe(200);
    expect((await h.as('manager').get('/audit/sign-ins')).statusCode).toBe(403);
  });

  it('records a disabled user trying to sign in', async () => {
    const user = json<{ id: string }>(
      await h.as('admin').post('/users', { email: 'gone@test.floorboard.test', name: 'Gone', role: 'sales', password: PASSWORD }),
    );
    await h.as('admin').patch(`/users/${user.id}`, { disabled: true });
    expect((await login('gone@test.floorboard.test', PASSWORD)).statusCode).toBe(401);
    const [latest] = json<{ items: Array<Record<string, unknown>> }>(await h.as('admin').get('/audit/sign-ins?limit=1')).items;
    expect(latest).toMatchObject({ email: 'gone@test.floorboard.test', userId: user.id, outcome: 'disabled' });
  });
});
