// Files on orders: the exact bytes back, the type read from the file, the size limit, what the customer's tracking
// link may read (customer-visible files of its own order, nothing else), guessed ids, and every upload, download and
// change recorded in the order's history with the audit chain intact.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/roles.ts';
import { buildServer } from '../../src/http/server.ts';
import { multipartBody, PDF, PNG, pngOfSize, SVG, type UploadParts } from '../support/files.ts';
import { type Harness, json, newOrder, startHarness, writeCounts } from '../support/harness.ts';

let h: Harness;
const LIMIT_MB = 1;
let limitBefore: string | undefined;
beforeAll(async () => {
  // A small limit keeps the too-large upload small; the server reads it when its routes are made.
  limitBefore = process.env.FLOORBOARD_FILE_LIMIT_MB;
  process.env.FLOORBOARD_FILE_LIMIT_MB = String(LIMIT_MB);
  h = await startHarness();
});
afterAll(async () => {
  if (limitBefore === undefined) delete process.env.FLOORBOARD_FILE_LIMIT_MB;
  else process.env.FLOORBOARD_FILE_LIMIT_MB = limitBefore;
  await h.close();
});

interface Order {
  id: string;
  number: string;
  version: number;
  stage: string;
  trackingUrl: string;
}
interface FileView {
  id: string;
  orderId: string;
  kind: string;
  visibility: string;
  name: string;
  type: string;
  size: number;
  sha256: string;
  uploadedBy: { kind: string; id: string | null; name: string };
  removedAt: string | null;
  url: string;
}
interface Event {
  type: string;
  actor: { kind: string; name: string };
  data: Record<string, unknown>;
  orderVersion: number;
}

async function created(overrides: Record<string, unknown> = {}): Promise<Order> {
  const res = await h.as('sales').post('/orders', newOrder(overrides));
  expect(res.statusCode, res.body).toBe(201);
  return json<Order>(res);
}

/** An order waiting for the customer's approval, with no proof link in its field. */
async function awaitingApproval(): Promise<Order> {
  const order = await created();
  const moved = await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'proof_approval' });
  expect(moved.statusCode, moved.body).toBe(200);
  return json<Order>(moved);
}

const upload = (role: Role | null, order: string, parts: UploadParts) => {
  const { payload, headers } = multipartBody(parts);
  return h.as(role).post(`/orders/${order}/files`, payload, headers);
};

async function attached(role: Role, order: string, parts: UploadParts): Promise<FileView> {
  const res = await upload(role, order, parts);
  expect(res.statusCode, res.body).toBe(201);
  return json<FileView>(res);
}

const tokenOf = (order: Order) => order.trackingUrl.replace('/track/', '');
let machine = 0;
/** A customer on a machine of their own (tracking lookups are limited per address). */
function customer() {
  const remoteAddress = `203.0.113.${++machine}`;
  return (url: string, method: 'GET' | 'POST' = 'GET') =>
    h.server.inject({ method, url, remoteAddress, ...(method === 'POST' ? { payload: {} } : {}) });
}

const events = async (order: string) => json<{ items: Event[] }>(await h.as('admin').get(`/orders/${order}/events`)).items;
const fileRows = async () =>
  Number(
    (
      await h.db.kysely
        .selectFrom('order_files')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('attaching and downloading files', () => {
  it('gives back exactly the bytes uploaded, with the type read from them, and records the upload and each download', async () => {
    const order = await created();
    const bytes = pngOfSize(300_000);
    const file = await attached('production', order.number, {
      file: { name: 'press check.png', type: 'application/octet-stream', bytes },
      kind: 'photo',
    });
    expect(file).toMatchObject({
      orderId: order.id,
      kind: 'photo',
      visibility: 'internal',
      name: 'press check.png',
      type: 'image/png',
      size: bytes.length,
      uploadedBy: { kind: 'token', name: 'Test production (tests)' },
      removedAt: null,
    });
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(file.id).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const res = await h.as('viewer').get(`/files/${file.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(bytes)).toBe(true);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="press check.png"; filename*=UTF-8''press%20check.png`);
    expect(String(res.headers['content-security-policy'])).toMatch(/default-src 'none'.*sandbox/);
    const inline = await h.as('viewer').get(`/files/${file.id}?disposition=inline`);
    expect(inline.headers['content-disposition']).toMatch(/^inline;/);

    const list = json<{ items: FileView[] }>(await h.as('viewer').get(`/orders/${order.number}/files`)).items;
    expect(list.map((f) => f.id)).toEqual([file.id]);

    const history = await events(order.number);
    const fileEvents = history.filter((e) => e.type.startsWith('file.'));
    expect(fileEvents.map((e) => [e.type, e.actor.name])).toEqual([
      ['file.attached', 'Test production (tests)'],
      ['file.downloaded', 'Test viewer (tests)'],
      ['file.downloaded', 'Test viewer (tests)'],
    ]);
    expect(fileEvents[0]!.data).toMatchObject({ fileId: file.id, name: 'press check.png', kind: 'photo', size: bytes.length });
    // Files do not change what the order is: its version stays.
    expect(json<Order>(await h.as('sales').get(`/orders/${order.number}`)).version).toBe(order.version);
    const verify = json<{ ok: boolean }>(await h.as('admin').get('/audit/verify'));
    expect(verify.ok).toBe(true);
  });

  it('keeps a PDF a download even when asked inline, and a name with other scripts intact', async () => {
    const order = await created();
    const file = await attached('sales', order.number, { file: { name: 'épreuve v2.pdf', bytes: PDF }, kind: 'proof' });
    expect(file.type).toBe('application/pdf');
    const res = await h.as('service').get(`/files/${file.id}?disposition=inline`);
    expect(res.rawPayload.equals(PDF)).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="_preuve v2.pdf"; filename*=UTF-8''%C3%A9preuve%20v2.pdf`,
    );
  });

  it('refuses files that are not pictures or PDFs, empty files and files over the limit, and changes nothing', async () => {
    const order = await created();
    const before = { ...(await writeCounts(h.db)), files: await fileRows() };
    const svg = await upload('sales', order.number, { file: { name: 'logo.png', type: 'image/png', bytes: SVG } });
    expect(svg.statusCode).toBe(415);
    expect(json(svg)).toMatchObject({ type: 'unsupported-media-type' });
    expect(json<{ detail: string }>(svg).detail).toContain('PNG, JPEG, WebP, GIF or PDF');
    const html = await upload('sales', order.number, {
      file: { name: 'proof.pdf', type: 'application/pdf', bytes: Buffer.from('<html><script>alert(1)</script></html>') },
    });
    expect(html.statusCode).toBe(415);
    const empty = await upload('sales', order.number, { file: { name: 'x.png', bytes: Buffer.alloc(0) } });
    expect(empty.statusCode).toBe(400);
    const big = await upload('sales', order.number, { file: { name: 'big.png', bytes: pngOfSize(LIMIT_MB * 1024 * 1024 + 1) } });
    expect(big.statusCode).toBe(413);
    expect(json<{ type: string; detail: string; limit: number }>(big)).toMatchObject({
      type: 'payload-too-large',
      limit: LIMIT_MB * 1024 * 1024,
    });
    expect(json<{ detail: string }>(big).detail).toContain('up to 1 MB');
    const badKind = await upload('sales', order.number, { file: { name: 'a.png', bytes: PNG }, kind: 'invoice' });
    expect(badKind.statusCode).toBe(400);
    expect(json<{ errors: Array<{ path: string }> }>(badKind).errors[0]!.path).toBe('kind');
    const badVisibility = await upload('sales', order.number, { file: { name: 'a.png', bytes: PNG }, visibility: 'public' });
    expect(badVisibility.statusCode).toBe(400);
    const noFile = await upload('sales', order.number, { kind: 'proof' });
    expect(noFile.statusCode).toBe(400);
    const asJson = await h.as('sales').post(`/orders/${order.number}/files`, { content: PNG.toString('base64') });
    expect(asJson.statusCode).toBe(415);
    const noOrder = await upload('sales', 'ORD-999999', { file: { name: 'a.png', bytes: PNG } });
    expect(noOrder.statusCode).toBe(404);
    expect({ ...(await writeCounts(h.db)), files: await fileRows() }).toEqual(before);
  });

  it('lets everyone but viewers attach files for the shop, and only order editors attach what the customer sees', async () => {
    const order = await created();
    const before = await fileRows();
    expect((await upload('viewer', order.number, { file: { name: 'a.png', bytes: PNG } })).statusCode).toBe(403);
    expect(
      (await upload('production', order.number, { file: { name: 'a.png', bytes: PNG }, visibility: 'customer' })).statusCode,
    ).toBe(403);
    expect((await upload(null, order.number, { file: { name: 'a.png', bytes: PNG } })).statusCode).toBe(401);
    expect(await fileRows()).toBe(before);
    await attached('production', order.number, { file: { name: 'a.png', bytes: PNG } });
    await attached('service', order.number, { file: { name: 'b.png', bytes: PNG }, visibility: 'customer' });
  });
});

describe('several servers on one database', () => {
  it.runIf(process.env.FLOORBOARD_TEST_DB === 'postgres')(
    'serves a file uploaded through one server from another, byte for byte, and the tracking link there too',
    async () => {
      const order = await awaitingApproval();
      const bytes = pngOfSize(200_000);
      const file = await attached('sales', order.number, {
        file: { name: 'shared.png', bytes },
        kind: 'proof',
        visibility: 'customer',
      });
      const otherDb = h.reopen!();
      const other = await buildServer({ db: otherDb, clock: h.clock }, { writesPerMinute: 0 });
      await other.ready();
      try {
        const staff = await other.inject({
          method: 'GET',
          url: `/api/v1/files/${file.id}`,
          headers: { authorization: `Bearer ${h.tokens.production}` },
        });
        expect(staff.statusCode).toBe(200);
        expect(staff.rawPayload.equals(bytes)).toBe(true);
        const tracked = await other.inject({
          method: 'GET',
          url: `/api/v1/track/${tokenOf(order)}/files/${file.id}`,
          remoteAddress: '203.0.113.250',
        });
        expect(tracked.statusCode).toBe(200);
        expect(tracked.rawPayload.equals(bytes)).toBe(true);
      } finally {
        await other.close();
        await otherDb.close();
      }
      const reads = (await events(order.number)).filter((e) => e.type === 'file.downloaded').map((e) => e.actor.kind);
      expect(reads).toEqual(['token', 'customer']);
      expect(json<{ ok: boolean }>(await h.as('admin').get('/audit/verify')).ok).toBe(true);
    },
  );
});

describe('what cannot be read', () => {
  it('answers a guessed or malformed file id, and another order’s file, as not found', async () => {
    const order = await created();
    const other = await created();
    const file = await attached('sales', order.number, { file: { name: 'a.png', bytes: PNG } });
    const nearly = `${file.id.slice(0, -1)}${file.id.endsWith('A') ? 'B' : 'A'}`;
    for (const id of [randomBytes(24).toString('base64url'), nearly, 'x', file.id.toLowerCase(), '../../etc/passwd']) {
      if (id === file.id) continue;
      const res = await h.as('admin').get(`/files/${encodeURIComponent(id)}`);
      expect(res.statusCode, id).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    // Changing or removing it through another order's address finds nothing.
    expect((await h.as('admin').patch(`/orders/${other.number}/files/${file.id}`, { visibility: 'customer' })).statusCode).toBe(
      404,
    );
    expect((await h.as('admin').delete(`/orders/${other.number}/files/${file.id}`)).statusCode).toBe(404);
    const [still] = json<{ items: FileView[] }>(await h.as('admin').get(`/orders/${order.number}/files`)).items;
    expect(still).toMatchObject({ id: file.id, visibility: 'internal', removedAt: null });
  });

  it('serves nothing to a caller without valid credentials', async () => {
    const order = await created();
    const file = await attached('sales', order.number, { file: { name: 'a.png', bytes: PNG } });
    expect((await h.as(null).get(`/files/${file.id}`)).statusCode).toBe(401);
    expect((await h.as(null).get(`/orders/${order.number}/files`)).statusCode).toBe(401);
    const forged = await h.server.inject({
      method: 'GET',
      url: `/api/v1/files/${file.id}`,
      headers: { authorization: 'Bearer fb_nope' },
    });
    expect(forged.statusCode).toBe(401);
    // A token revoked a moment ago reads nothing.
    const mine = json<{ id: string; token: string }>(await h.as('service').post('/tokens', { label: 'laptop' }));
    const auth = { authorization: `Bearer ${mine.token}` };
    expect((await h.server.inject({ method: 'GET', url: `/api/v1/files/${file.id}`, headers: auth })).statusCode).toBe(200);
    expect((await h.as('service').delete(`/tokens/${mine.id}`)).statusCode).toBe(200);
    expect((await h.server.inject({ method: 'GET', url: `/api/v1/files/${file.id}`, headers: auth })).statusCode).toBe(401);
  });

  it('never lets the tracking link read an internal file, another order’s file, or one taken back or removed', async () => {
    const order = await awaitingApproval();
    const other = await awaitingApproval();
    const call = customer();
    const internal = await attached('sales', order.number, { file: { name: 'costing.png', bytes: PNG }, kind: 'proof' });
    let view = json<{ approval: { proofFile: unknown; canRespond: boolean } }>(await call(`/api/v1/track/${tokenOf(order)}`));
    expect(view.approval).toMatchObject({ proofFile: null, canRespond: false });
    expect((await call(`/api/v1/track/${tokenOf(order)}/files/${internal.id}`)).statusCode).toBe(404);
    const page = await call(`/track/${tokenOf(order)}`);
    expect(page.body).not.toContain(internal.id);
    expect(page.body).not.toContain('costing.png');

    const shown = await attached('sales', order.number, {
      file: { name: 'proof-v1.png', bytes: PNG },
      kind: 'proof',
      visibility: 'customer',
    });
    view = json(await call(`/api/v1/track/${tokenOf(order)}`));
    expect(view.approval).toMatchObject({
      proofFile: {
        id: shown.id,
        name: 'proof-v1.png',
        type: 'image/png',
        url: `/api/v1/track/${tokenOf(order)}/files/${shown.id}`,
      },
      canRespond: true,
    });
    const read = await call(`/api/v1/track/${tokenOf(order)}/files/${shown.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.rawPayload.equals(PNG)).toBe(true);
    expect(read.headers['cache-control']).toBe('no-store');
    // Another order's link does not reach it, nor this link another order's file.
    expect((await call(`/api/v1/track/${tokenOf(other)}/files/${shown.id}`)).statusCode).toBe(404);
    // The page shows it.
    expect((await call(`/track/${tokenOf(order)}`)).body).toContain(`/api/v1/track/${tokenOf(order)}/files/${shown.id}`);

    // Taken back: gone from the link at once.
    const back = await h.as('sales').patch(`/orders/${order.number}/files/${shown.id}`, { visibility: 'internal' });
    expect(json<FileView>(back).visibility).toBe('internal');
    expect((await call(`/api/v1/track/${tokenOf(order)}/files/${shown.id}`)).statusCode).toBe(404);
    view = json(await call(`/api/v1/track/${tokenOf(order)}`));
    expect(view.approval.proofFile).toBeNull();

    // Shown again, then removed: its bytes are gone, its record and history stay.
    await h.as('sales').patch(`/orders/${order.number}/files/${shown.id}`, { visibility: 'customer' });
    const removed = json<FileView>(await h.as('sales').delete(`/orders/${order.number}/files/${shown.id}`));
    expect(removed.removedAt).not.toBeNull();
    expect((await call(`/api/v1/track/${tokenOf(order)}/files/${shown.id}`)).statusCode).toBe(404);
    expect((await h.as('admin').get(`/files/${shown.id}`)).statusCode).toBe(404);
    expect(json<{ items: FileView[] }>(await h.as('sales').get(`/orders/${order.number}/files`)).items.map((f) => f.id)).toEqual([
      internal.id,
    ]);
    const all = json<{ items: FileView[] }>(await h.as('sales').get(`/orders/${order.number}/files?removed=true`)).items;
    expect(all.find((f) => f.id === shown.id)?.removedAt).not.toBeNull();
    const left = await h.db.kysely.selectFrom('order_file_contents').select('file_id').where('file_id', '=', shown.id).execute();
    expect(left).toEqual([]);

    const types = (await events(order.number)).filter((e) => e.type.startsWith('file.')).map((e) => [e.type, e.actor.kind]);
    expect(types).toEqual([
      ['file.attached', 'token'],
      ['file.attached', 'token'],
      ['file.downloaded', 'customer'],
      ['file.visibility_changed', 'token'],
      ['file.visibility_changed', 'token'],
      ['file.removed', 'token'],
    ]);
    expect(json<{ ok: boolean }>(await h.as('admin').get('/audit/verify')).ok).toBe(true);
  });

  it('lets only order editors change what the customer sees, and others remove only their own files', async () => {
    const order = await created();
    const mine = await attached('production', order.number, { file: { name: 'mine.png', bytes: PNG }, kind: 'photo' });
    const theirs = await attached('sales', order.number, { file: { name: 'theirs.png', bytes: PNG } });
    expect(
      (await h.as('production').patch(`/orders/${order.number}/files/${mine.id}`, { visibility: 'customer' })).statusCode,
    ).toBe(403);
    expect((await h.as('production').delete(`/orders/${order.number}/files/${theirs.id}`)).statusCode).toBe(403);
    expect((await h.as('viewer').delete(`/orders/${order.number}/files/${theirs.id}`)).statusCode).toBe(403);
    expect((await h.as('production').delete(`/orders/${order.number}/files/${mine.id}`)).statusCode).toBe(200);
    expect((await h.as('manager').delete(`/orders/${order.number}/files/${theirs.id}`)).statusCode).toBe(200);
    const bad = await h.as('sales').patch(`/orders/${order.number}/files/${mine.id}`, { visibility: 'everyone' });
    expect(bad.statusCode).toBe(400);
  });
});

describe('the proof on the tracking page', () => {
  it('lets the customer approve a proof file: the order moves on and the approval names the file', async () => {
    const order = await awaitingApproval();
    const call = customer();
    const proof = await attached('sales', order.number, {
      file: { name: 'proof.pdf', bytes: PDF },
      kind: 'proof',
      visibility: 'customer',
    });
    const page = await call(`/track/${tokenOf(order)}`);
    expect(page.body).toContain('Download your proof: proof.pdf');
    const approved = await call(`/api/v1/track/${tokenOf(order)}/approve`, 'POST');
    expect(approved.statusCode, approved.body).toBe(200);
    const after = json<Order & { fields: Record<string, unknown> }>(await h.as('sales').get(`/orders/${order.number}`));
    expect(after.stage).toBe('supplier_confirmation');
    expect(after.fields.proof_approved).toBe(true);
    const approval = (await events(order.number)).find((e) => e.type === 'order.customer_approved');
    expect(approval?.data).toMatchObject({ stage: 'proof_approval', proofFile: proof.id });
    expect(approval?.actor.kind).toBe('customer');
  });

  it('shows the newest customer-visible proof, never an internal one uploaded after it', async () => {
    const order = await awaitingApproval();
    const call = customer();
    await attached('sales', order.number, { file: { name: 'v1.png', bytes: PNG }, kind: 'proof', visibility: 'customer' });
    h.clock.advanceHours(0.1);
    const v2 = await attached('sales', order.number, {
      file: { name: 'v2.png', bytes: PNG },
      kind: 'proof',
      visibility: 'customer',
    });
    h.clock.advanceHours(0.1);
    await attached('sales', order.number, { file: { name: 'v3-draft.png', bytes: PNG }, kind: 'proof' });
    const view = json<{ approval: { proofFile: { id: string } } }>(await call(`/api/v1/track/${tokenOf(order)}`));
    expect(view.approval.proofFile.id).toBe(v2.id);
  });
});
