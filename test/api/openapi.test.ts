// The OpenAPI document describes every route the server has, and the server's answers match the schemas it publishes.
import { Validator } from '@seriousme/openapi-schema-validator';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import * as S from '../../src/http/schemas.ts';
import { type Harness, json, newOrder, startHarness } from '../support/harness.ts';

// Every route the server registers, seen through an onRoute hook added the moment the server is made.
const registered = vi.hoisted(() => [] as Array<Pick<RouteOptions, 'method' | 'url' | 'schema' | 'config'>>);
vi.mock('fastify', async (importOriginal) => {
  const actual = await importOriginal<typeof import('fastify')>();
  const withRouteLog = ((opts?: Parameters<typeof actual.default>[0]) => {
    const server = actual.default(opts);
    server.addHook('onRoute', (route) => {
      registered.push({ method: route.method, url: route.url, schema: route.schema, config: route.config });
    });
    return server;
  }) as typeof actual.default;
  return { ...actual, default: withRouteLog };
});

interface Operation {
  parameters?: Array<{ in: string; name: string; schema?: unknown }>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

let h: Harness;
let doc: OpenApiDoc;
beforeAll(async () => {
  h = await startHarness();
  const res = await h.as(null).get('/openapi.json');
  expect(res.statusCode).toBe(200);
  doc = json<OpenApiDoc>(res);
});
afterAll(() => h.close());

/** `/api/v1/orders/:id` as OpenAPI writes it: `/api/v1/orders/{id}`. */
const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

/** The documented API routes: everything under /api/v1 except HEAD twins and routes hidden from the document. */
function apiRoutes() {
  const seen = new Set<string>();
  const out: Array<{ method: string; url: string; schema: Record<string, unknown>; config?: { public?: boolean } }> = [];
  for (const route of registered) {
    const schema = (route.schema ?? {}) as Record<string, unknown>;
    if (!route.url.startsWith('/api/v1/') || schema.hide) continue;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      const key = `${method} ${route.url}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ method, url: route.url, schema, config: route.config as { public?: boolean } | undefined });
    }
  }
  return out;
}

/** Zod's view of a route's querystring or params: the keys it accepts. */
function keysOf(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document whose references all resolve', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const result = await new Validator().validate(structuredClone(doc) as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? null, JSON.stringify(result.errors)).toBeNull();
    expect(result.valid).toBe(true);
    for (const name of ['Order', 'Event', 'Board', 'Problem', 'Workflow', 'User', 'ApiToken']) {
      expect(doc.components?.schemas?.[name], name).toBeDefined();
    }
  });

  it('is served to anyone, without signing in', async () => {
    const res = await h.as(null).get('/openapi.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
  });

  it('lists every API route the server answers, with its request and response schemas', () => {
    const routes = apiRoutes();
    // Sanity: the hook saw the server being built, including the routes API.md promises.
    const names = routes.map((r) => `${r.method} ${r.url}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/v1/orders',
        'GET /api/v1/orders',
        'GET /api/v1/orders/:id',
        'PATCH /api/v1/orders/:id',
        'POST /api/v1/orders/:id/transitions',
        'POST /api/v1/orders/:id/hold',
        'POST /api/v1/orders/:id/resume',
        'POST /api/v1/orders/:id/cancel',
        'POST /api/v1/orders/:id/comments',
        'GET /api/v1/orders/:id/events',
        'GET /api/v1/workflows',
        'POST /api/v1/workflows',
        'PUT /api/v1/workflows/:key',
        'GET /api/v1/board',
        'POST /api/v1/auth/login',
        'POST /api/v1/auth/logout',
        'GET /api/v1/audit/verify',
      ]),
    );
    expect(names).not.toContain('GET /api/v1/openapi.json');

    for (const route of routes) {
      const where = `${route.method} ${route.url}`;
      const op = doc.paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
      expect(op, `${where} is missing from the OpenAPI document`).toBeDefined();
      if (!op) continue;

      const params = op.parameters ?? [];
      for (const name of route.url.match(/:(\w+)/g)?.map((p) => p.slice(1)) ?? []) {
        expect(
          params.some((p) => p.in === 'path' && p.name === name && p.schema),
          `${where}: path parameter ${name}`,
        ).toBe(true);
      }
      for (const name of keysOf(route.schema.querystring)) {
        expect(
          params.some((p) => p.in === 'query' && p.name === name && p.schema),
          `${where}: query parameter ${name}`,
        ).toBe(true);
      }
      if (route.schema.body) {
        expect(op.requestBody?.content?.['application/json']?.schema, `${where}: request body schema`).toBeDefined();
      }

      const responses = op.responses ?? {};
      const success = Object.keys(responses).filter((code) => /^2\d\d$/.test(code));
      expect(success, `${where}: a documented success answer`).toHaveLength(1);
      const code = success[0]!;
      if (code !== '204') {
        const content = responses[code]?.content ?? {};
        expect(Object.keys(content).length, `${where}: ${code} has a media type`).toBeGreaterThan(0);
        for (const [type, media] of Object.entries(content)) {
          expect(media.schema, `${where}: ${code} ${type} schema`).toBeDefined();
        }
      }
      if (!route.config?.public) {
        const unauthenticated = responses['401']?.content?.['application/problem+json']?.schema;
        expect(unauthenticated, `${where}: documents the 401 problem`).toEqual({ $ref: '#/components/schemas/Problem' });
      }
      for (const [status, answer] of Object.entries(responses)) {
        if (!/^[45]/.test(status)) continue;
        expect(Object.keys(answer.content ?? {}), `${where}: ${status} is problem+json`).toEqual(['application/problem+json']);
      }
    }
  });
});

describe('answers match the published schemas', () => {
  /** Parses `body` with the schema and insists nothing was dropped: a field the schema lacks is a field the docs lack. */
  function conforms<T extends z.ZodType>(schema: T, body: unknown) {
    const parsed = schema.safeParse(body);
    expect(parsed.error?.issues ?? null).toBeNull();
    expect(parsed.data).toEqual(body);
  }

  it('an order, as created, read, edited and moved', async () => {
    const created = await h.as('sales').post('/orders', newOrder());
    expect(created.statusCode).toBe(201);
    conforms(S.Order, json(created));
    const number = json<{ number: string }>(created).number;
    conforms(S.Order, json(await h.as('viewer').get(`/orders/${number}`)));
    conforms(S.Order, json(await h.as('sales').patch(`/orders/${number}`, { priority: 'rush' })));
    const moved = await h.as('sales').post(`/orders/${number}/transitions`, { to: 'proof_approval' });
    expect(moved.statusCode).toBe(200);
    conforms(S.Order, json(moved));
    conforms(S.Order, json(await h.as('manager').post(`/orders/${number}/hold`, { reason: 'Waiting for the customer' })));
  });

  it('a page of orders, with and without a next cursor', async () => {
    await h.as('sales').post('/orders', newOrder({ title: 'Second order' }));
    const first = await h.as('viewer').get('/orders?limit=1');
    conforms(S.pageOf(S.Order), json(first));
    const cursor = json<{ nextCursor: string | null }>(first).nextCursor;
    expect(cursor).toEqual(expect.any(String));
    conforms(S.pageOf(S.Order), json(await h.as('viewer').get(`/orders?limit=500&cursor=${cursor}`)));
  });

  it('the board', async () => {
    const res = await h.as('production').get('/board?workflow=custom-apparel');
    expect(res.statusCode).toBe(200);
    conforms(S.Board, json(res));
  });

  it("an order's events, and a comment", async () => {
    const number = json<{ number: string }>(await h.as('sales').post('/orders', newOrder())).number;
    await h.as('sales').patch(`/orders/${number}`, { title: 'Renamed' });
    const comment = await h.as('sales').post(`/orders/${number}/comments`, { body: 'Customer called' });
    expect(comment.statusCode).toBe(201);
    conforms(S.Event, json(comment));
    const events = await h.as('viewer').get(`/orders/${number}/events`);
    conforms(S.pageOf(S.Event), json(events));
    expect(json<{ items: unknown[] }>(events).items).toHaveLength(3);
  });

  it('workflows, users, tokens and who am I', async () => {
    const workflows = await h.as('viewer').get('/workflows');
    expect(json<{ items: unknown[] }>(workflows).items.length).toBeGreaterThan(0);
    for (const wf of json<{ items: unknown[] }>(workflows).items) conforms(S.Workflow, wf);
    conforms(S.Workflow, json(await h.as('viewer').get('/workflows/custom-apparel')));
    for (const user of json<{ items: unknown[] }>(await h.as('admin').get('/users')).items) conforms(S.User, user);
    for (const token of json<{ items: unknown[] }>(await h.as('sales').get('/tokens')).items) conforms(S.ApiToken, token);
    const issued = await h.as('sales').post('/tokens', { label: 'label printer' });
    expect(issued.statusCode).toBe(201);
    conforms(S.ApiToken.extend({ token: S.ApiToken.shape.id }), json(issued));
    conforms(S.Me, json(await h.as('sales').get('/auth/me')));
  });

  it('a problem', async () => {
    const problems = [
      await h.as(null).get('/orders'),
      await h.as('viewer').post('/orders', newOrder()),
      await h.as('viewer').get('/orders/ORD-999999'),
      await h.as('sales').post('/orders', { title: 'no workflow' }),
    ];
    for (const res of problems) {
      expect(res.headers['content-type']).toContain('application/problem+json');
      const body = json(res);
      conforms(S.Problem, body);
      expect(body.status).toBe(res.statusCode);
    }
  });
});
