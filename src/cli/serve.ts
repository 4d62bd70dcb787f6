// `floorboard serve`: migrate, seed the demo when asked, create the first admin from the environment, listen.
import pino from 'pino';
import { type AppContext, SYSTEM_ACTOR } from '../app/context.ts';
import { setupState } from '../app/first-run.ts';
import { ensureFirstAdmin } from '../app/manage-access.ts';
import { seedDemo } from '../demo/seed.ts';
import { systemClock } from '../domain/clock.ts';
import { buildServer, LOG_REDACT } from '../http/server.ts';
import { Automation } from '../jobs/automation.ts';
import { BackupSchedule } from '../jobs/backup-schedule.ts';
import { backupVerifiedAt } from '../jobs/job-metrics.ts';
import { openDb } from '../store/db.ts';
import { migrate } from '../store/migrations/index.ts';
import { listWorkflows } from '../store/workflows.ts';
import { backupSettings } from './backup.ts';

export interface ServeOptions {
  databaseUrl: string;
  demo: boolean;
}

export async function serve(opts: ServeOptions): Promise<void> {
  // Written asynchronously: a line goes out at once when no write is under way, and lines logged meanwhile go
  // out together, so a busy server does not pay a write system call per request. pino flushes it at exit.
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', redact: LOG_REDACT }, pino.destination({ dest: 1, sync: false }));
  const db = openDb(opts.databaseUrl, { backgroundCheckpoints: true });
  const app: AppContext = { db, clock: systemClock };
  const applied = await migrate(db);
  if (applied.length) logger.info({ applied }, 'migrations applied');

  let demoUsers: Array<{ email: string; role: string; password: string }> = [];
  if (opts.demo && (await listWorkflows(db.kysely)).length === 0) {
    logger.info('seeding the demo workspace');
    const summary = await seedDemo(app);
    demoUsers = summary.users;
  }
  const adminEmail = process.env.FLOORBOARD_ADMIN_EMAIL;
  const adminPassword = process.env.FLOORBOARD_ADMIN_PASSWORD;
  if (adminEmail && adminPassword) {
    const admin = await ensureFirstAdmin(app, SYSTEM_ACTOR, adminEmail, adminPassword);
    if (admin) logger.info({ email: admin.email }, 'first admin created');
  }

  const server = await buildServer(app, {
    logger,
    secureCookies: process.env.SECURE_COOKIES === 'true',
    trustProxy: process.env.TRUST_PROXY === 'true',
    ...(process.env.WRITE_RATE_LIMIT ? { writesPerMinute: Number(process.env.WRITE_RATE_LIMIT) } : {}),
  });
  // Alerts, notifications, e-mail and webhooks: poked after every commit, on timers besides.
  const automation = new Automation(app, {
    onError: (err, job) => logger.error({ err, job }, 'automation job failed'),
    ...(process.env.WEBHOOK_TIMEOUT_MS ? { webhookTimeoutMs: Number(process.env.WEBHOOK_TIMEOUT_MS) } : {}),
  });
  const feedPoke = app.afterCommit;
  app.afterCommit = () => {
    feedPoke?.();
    automation.poke();
  };
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  await server.listen({ port, host });
  // After listening: a backlog the jobs find at start (an outbox left by a crash) must not hold up /healthz.
  await automation.start();
  const backups = scheduledBackups(app, opts.databaseUrl, logger);
  backups?.start();

  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const lines = [`Floorboard is running at ${url}  (database: ${db.description})`];
  if ((await setupState(app)).needed) {
    lines.push(`Nobody uses this workspace yet: open ${url} to set it up (the first admin, the shop, its workflow).`);
  }
  if (demoUsers.length) {
    lines.push('Demo sign-ins (password for all: ' + demoUsers[0]!.password + '):');
    for (const u of demoUsers) lines.push(`  ${u.role.padEnd(12)} ${u.email}`);
  }
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await server.close();
    await backups?.stop();
    await automation.stop();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Daily verified backups of an embedded database, unless FLOORBOARD_BACKUP_KEEP is 0; PostgreSQL has its own tools. */
function scheduledBackups(app: AppContext, databaseUrl: string, logger: pino.Logger): BackupSchedule | null {
  if (app.db.dialect !== 'sqlite' || !app.db.sqlite || app.db.sqlite.memory) return null;
  const settings = backupSettings(databaseUrl);
  if (settings.keep === 0) return null;
  return new BackupSchedule(app, {
    ...settings,
    onBackup: (report, pruned) => {
      backupVerifiedAt.setToCurrentTime();
      logger.info({ file: report.file, bytes: report.bytes, events: report.events, pruned }, 'backup written and verified');
    },
    onError: (err) => logger.error({ err }, 'scheduled backup failed'),
  });
}
