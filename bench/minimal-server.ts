// The yardstick for a move's cost: the least a Fastify + better-sqlite3 server can do per move, as a child process.
// One transaction of the same shape as Floorboard's (read the order, update it under its version, insert the
// event and its outbox row), on a file the bench prepared (`prepareMinimalDb`), answering the order's new state.
// Run: node bin/run-ts.js bench/minimal-server.ts <db file> <port>
import Database from 'better-sqlite3';
import Fastify from 'fastify';

/** The minimal server's tables: as little as the transaction needs. */
export const MINIMAL_SCHEMA = `
  create table if not exists orders (id text primary key, stage text not null, version integer not null, updated_at text not null);
  create table if not exists events (seq integer primary key, type text not null, at text not null, order_id text not null,
    order_version integer not null, data text not null);
  create table if not exists outbox (event_seq integer primary key, order_id text not null, type text not null, created_at text not null);
`;

/** The same pragmas as Floorboard's SQLite store. */
export function openMinimal(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(MINIMAL_SCHEMA);
  return db;
}

/** Fills the minimal server's file with the orders the bench moves, at the stages and versions they have. */
export function prepareMinimalDb(path: string, orders: Array<{ id: string; stage: string; version: number }>): void {
  const db = openMinimal(path);
  const insert = db.prepare('insert into orders (id, stage, version, updated_at) values (?, ?, ?, ?)');
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const o of orders) insert.run(o.id, o.stage, o.version, now);
  })();
  db.close();
}

/** The minimal transaction: read, update under the version, insert the event and its outbox row. */
function minimalMove(db: Database.Database) {
  const read = db.prepare<[string], { id: string; stage: string; version: number }>(
    'select id, stage, version from orders where id = ?',
  );
  const update = db.prepare('update orders set stage = ?, version = version + 1, updated_at = ? where id = ? and version = ?');
  const event = db.prepare('insert into events (type, at, order_id, order_version, data) values (?, ?, ?, ?, ?)');
  const outbox = db.prepare('insert into outbox (event_seq, order_id, type, created_at) values (?, ?, ?, ?)');
  return db.transaction((id: string, to: string, expected: number) => {
    const order = read.get(id);
    if (!order) return { status: 404 as const };
    if (order.version !== expected) return { status: 409 as const };
    const at = new Date().toISOString();
    update.run(to, at, id, expected);
    const data = JSON.stringify({ from: order.stage, to });
    const { lastInsertRowid } = event.run('order.stage_changed', at, id, expected + 1, data);
    outbox.run(lastInsertRowid, id, 'order.stage_changed', at);
    return { status: 200 as const, order: { id, stage: to, version: expected + 1, updatedAt: at } };
  });
}

/** The minimal transaction alone, in this process, round robin over the orders: its CPU time per move (ms). */
export function minimalTransactionCpu(
  path: string,
  orders: Array<{ id: string; stages: string[] }>,
  seconds: number,
): { moves: number; cpuMsPerMove: number } {
  const db = openMinimal(path);
  const move = minimalMove(db);
  const versions = db.prepare<[string], { version: number }>('select version from orders where id = ?');
  const known = new Map(orders.map((o) => [o.id, versions.get(o.id)!.version]));
  const cpu0 = process.cpuUsage();
  const deadline = performance.now() + seconds * 1000;
  let moves = 0;
  while (performance.now() < deadline) {
    const o = orders[moves % orders.length]!;
    const expected = known.get(o.id)!;
    if (move(o.id, o.stages[moves % o.stages.length]!, expected).status !== 200) throw new Error(`order ${o.id} changed`);
    known.set(o.id, expected + 1);
    moves++;
  }
  const cpu = process.cpuUsage(cpu0);
  db.close();
  return { moves, cpuMsPerMove: (cpu.user + cpu.system) / 1000 / moves };
}

async function serve(path: string, port: number): Promise<void> {
  const db = openMinimal(path);
  const move = minimalMove(db);
  const server = Fastify({ logger: false });
  server.post<{ Params: { id: string }; Body: { to: string; expectedVersion: number } }>(
    '/api/v1/orders/:id/transitions',
    async (request, reply) => {
      const result = move(request.params.id, request.body.to, request.body.expectedVersion);
      if (result.status !== 200) return reply.code(result.status).send({ status: result.status });
      return result.order;
    },
  );
  server.get('/healthz', async () => ({ status: 'ok' }));
  await server.listen({ port, host: '127.0.0.1' });
  process.once('SIGTERM', () => {
    void server.close().then(() => {
      db.close();
      process.exit(0);
    });
  });
}

if (process.argv[1]?.endsWith('minimal-server.ts')) {
  const [path, port] = process.argv.slice(2);
  if (!path || !port) {
    console.error('usage: minimal-server <db file> <port>');
    process.exit(2);
  }
  await serve(path, Number(port));
}
