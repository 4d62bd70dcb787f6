// The floorboard command as an operator uses it: migrate, users, tokens, audit verify, serve, on SQLite and PostgreSQL.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floorboard, startServer } from '../support/cli.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'floorboard-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('on SQLite', () => {
  it('migrates, creates a user and prints a working token alone on stdout', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'ops.db')}` };
    expect((await floorboard(['migrate'], env)).stdout).toContain('Applied 001-order-engine');
    expect((await floorboard(['migrate'], env)).stdout).toContain('up to date');
    const created = await floorboard(
      ['user', 'create', '--email', 'Ops@Shop.test', '--name', 'Ops', '--role', 'manager', '--password', 'long enough'],
      env,
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('manager ops@shop.test');
    const token = await floorboard(['token', 'create', '--email', 'ops@shop.test', '--label', 'scripts'], env);
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^fb_[A-Za-z0-9_-]{43}\n$/);

    const server = await startServer([], env);
    try {
      const me = await fetch(`${server.base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token.stdout.trim()}` } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { user: { role: string } }).user.role).toBe('manager');
    } finally {
      await server.stop();
    }
  });

  it('explains bad arguments and refuses a duplicate user', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'ops.db')}` };
    const badRole = await floorboard(
      ['user', 'create', '--email', 'a@b.test', '--name', 'A', '--role', 'boss', '--password', 'long enough'],
      env,
    );
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toContain('must be one of admin, manager');
    const dup = await floorboard(
      ['user', 'create', '--email', 'ops@shop.test', '--name', 'Ops', '--role', 'sales', '--password', 'long enough'],
      env,
    );
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain('already exists');
    const badUrl = await floorboard(['migrate'], { DATABASE_URL: 'mysql://x' });
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toContain('DATABASE_URL must start with sqlite: or postgres://');
  });

  it('serves the demo workspace, prints the sign-ins, and verifies its audit chain; a hand-edited row breaks it', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'demo.db')}` };
    const server = await startServer(['--demo'], env);
    try {
      expect(server.output()).toContain('manager@demo.floorboard.test');
      const login = await fetch(`${server.base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'manager@demo.floorboard.test', password: 'floorboard-demo' }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const board = (await (
        await fetch(`${server.base}/api/v1/board?workflow=custom-apparel`, { headers: { cookie } })
      ).json()) as {
        columns: Array<{ count: number }>;
      };
      expect(board.columns).toHaveLength(9);
      expect(board.columns.reduce((n, c) => n + c.count, 0)).toBeGreaterThan(20);
    } finally {
      await server.stop();
    }
    const ok = await floorboard(['audit', 'verify'], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Audit chain intact: \d+ events/);

    const db = new SQLite(join(dir, 'demo.db'));
    db.prepare(`update events set actor_name = 'Someone else' where seq = 42`).run();
    db.close();
    const broken = await floorboard(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('BROKEN at event #42');
  }, 240_000);

  it('creates the first admin from the environment when nobody can sign in yet', async () => {
    const env = {
      DATABASE_URL: `sqlite:${join(dir, 'fresh.db')}`,
      FLOORBOARD_ADMIN_EMAIL: 'owner@shop.test',
      FLOORBOARD_ADMIN_PASSWORD: 'first admin pass',
    };
    const server = await startServer([], env);
    try {
      const login = await fetch(`${server.base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'owner@shop.test', password: 'first admin pass' }),
      });
      expect(login.status).toBe(200);
      expect(((await login.json()) as { user: { role: string } }).user.role).toBe('admin');
    } finally {
      await server.stop();
    }
  });
});

describe('on PostgreSQL', () => {
  const name = `floorboard_cli_${randomBytes(4).toString('hex')}`;
  let url: string;
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(process.env.TEST_POSTGRES_URL!);
    u.pathname = `/${name}`;
    url = u.toString();
  });
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it('serves the demo and verifies the chain when DATABASE_URL names PostgreSQL', async () => {
    const server = await startServer(['--demo'], { DATABASE_URL: url });
    try {
      expect(server.output()).toContain('postgres://');
      const token = await floorboard(['token', 'create', '--email', 'sales@demo.floorboard.test'], { DATABASE_URL: url });
      const res = await fetch(`${server.base}/api/v1/orders?owner=me`, {
        headers: { authorization: `Bearer ${token.stdout.trim()}` },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
    const verify = await floorboard(['audit', 'verify'], { DATABASE_URL: url });
    expect(verify.code).toBe(0);
  }, 240_000);
});

describe('orders from the command line', () => {
  it('creates, edits, moves and comments as a named user, whose role still decides, and reads the history and board', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'orders.db')}` };
    const definition = join(dir, 'signs.json');
    writeFileSync(
      definition,
      JSON.stringify({
        key: 'signs',
        name: 'Printed signs',
        orderPrefix: 'SGN',
        stages: [
          {
            key: 'artwork',
            label: 'Awaiting artwork',
            ownerRole: 'sales',
            nextAction: 'Get print-ready artwork',
            requires: ['width_mm'],
          },
          { key: 'printing', label: 'Printing', ownerRole: 'production', nextAction: 'Print and laminate' },
          { key: 'collected', label: 'Collected', ownerRole: 'fulfillment', nextAction: 'Nothing left to do' },
        ],
        fields: [{ key: 'width_mm', label: 'Width (mm)', type: 'number', min: 10 }],
      }),
    );
    expect((await floorboard(['workflow', 'create', '--file', definition], env)).stdout).toContain(
      'Created workflow signs (version 1, 3 stages)',
    );
    for (const [email, role] of [
      ['sam@shop.test', 'sales'],
      ['pat@shop.test', 'production'],
    ]) {
      expect(
        (
          await floorboard(
            ['user', 'create', '--email', email!, '--name', role!, '--role', role!, '--password', 'long enough'],
            env,
          )
        ).code,
      ).toBe(0);
    }
    const orderFile = join(dir, 'order.json');
    writeFileSync(orderFile, JSON.stringify({ workflow: 'signs', title: 'Shop sign', customer: { name: 'Copper Kettle Café' } }));
    const created = JSON.parse(
      (await floorboard(['order', 'create', '--file', orderFile, '--as', 'sam@shop.test', '--json'], env)).stdout,
    );
    expect(created).toMatchObject({ number: 'SGN-1001', stage: 'artwork' });

    const refused = await floorboard(['order', 'move', 'SGN-1001', 'printing', '--as', 'sam@shop.test'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Width (mm) must be filled before leaving Awaiting artwork');
    expect((await floorboard(['order', 'edit', 'SGN-1001', '--field', 'width_mm=900', '--as', 'sam@shop.test'], env)).code).toBe(
      0,
    );
    const notOwner = await floorboard(['order', 'move', 'SGN-1001', 'printing', '--as', 'pat@shop.test'], env);
    expect(notOwner.stderr).toContain('Only sales, a manager or an admin');
    const moved = await floorboard(['order', 'move', 'SGN-1001', 'printing', '--as', 'sam@shop.test'], env);
    expect(moved.stdout).toContain('Printing since');
    expect(
      (await floorboard(['order', 'comment', 'SGN-1001', 'Laminate matt, not gloss', '--as', 'pat@shop.test'], env)).code,
    ).toBe(0);

    const history = JSON.parse((await floorboard(['order', 'history', 'SGN-1001', '--json'], env)).stdout) as Array<{
      type: string;
      actor: { name: string };
    }>;
    expect(history.map((e) => e.type)).toEqual(['order.created', 'order.updated', 'order.stage_changed', 'comment.added']);
    expect(history[2]!.actor.name).toBe('sales (command line)');
    const mine = await floorboard(['order', 'list', '--mine', 'pat@shop.test'], env);
    expect(mine.stdout, mine.stderr).toContain('SGN-1001');
    const board = await floorboard(['board', 'signs'], env);
    expect(board.stdout).toMatch(/Printing \(production\) 1\n\s+SGN-1001/);
    expect((await floorboard(['audit', 'verify'], env)).code).toBe(0);
    // A dozen commands, each a fresh process loading the TypeScript sources.
  }, 180_000);
});
