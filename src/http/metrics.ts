// Prometheus metrics at /metrics: process figures, request latency by route, the outbox's backlog, the background
// jobs' run times, the alerts the last sweep found, the SQLite log's size and the last verified backup.
// docs/operations.md says what each means; docs/grafana-dashboard.json charts the key ones.
import { statSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AppContext } from '../app/context.ts';
import { backupVerifiedAt, jobDuration, openAlertsGauge } from '../jobs/job-metrics.ts';
import { outboxBacklog } from '../store/outbox.ts';

export function installMetrics(server: FastifyInstance, app: AppContext): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'floorboard_' });
  for (const metric of [jobDuration, openAlertsGauge, backupVerifiedAt]) registry.registerMetric(metric);
  // Read when scraped: one indexed count of the rows still waiting.
  const backlog = async () => outboxBacklog(app.db.kysely);
  new Gauge({
    name: 'floorboard_outbox_pending',
    help: 'Committed events the dispatcher has not yet handed to webhooks, e-mail and notifications',
    registers: [registry],
    async collect() {
      this.set((await backlog()).pending);
    },
  });
  new Gauge({
    name: 'floorboard_outbox_lag_seconds',
    help: 'Age of the oldest event still waiting in the outbox (0 when none waits)',
    registers: [registry],
    async collect() {
      const { oldestAt } = await backlog();
      this.set(oldestAt ? Math.max(0, (app.clock.now().getTime() - Date.parse(oldestAt)) / 1000) : 0);
    },
  });
  const sqlite = app.db.sqlite;
  if (sqlite && !sqlite.memory) {
    new Gauge({
      name: 'floorboard_sqlite_wal_bytes',
      help: "Size of SQLite's write-ahead log file (kept near 16 MB under steady writes)",
      registers: [registry],
      collect() {
        try {
          this.set(statSync(`${sqlite.name}-wal`).size);
        } catch {
          this.set(0);
        }
      },
    });
  }
  const duration = new Histogram({
    name: 'floorboard_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  server.addHook('onResponse', async (request, reply) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  server.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  return registry;
}
