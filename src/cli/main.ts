// The floorboard command: serve, migrate, workflows, orders, the board, users, tokens, audit verify, export, import.
// Each command loads what it needs when it runs (dynamic imports), so `--help` or `token create` start in a blink.
import { Command, InvalidArgumentError } from 'commander';
import type { Actor } from '../app/context.ts';
import { Problem } from '../app/problem.ts';
import { isRole, ROLES } from '../domain/roles.ts';
import { databaseUrl, withApp } from './app.ts';
import { registerBackupCommands } from './backup.ts';
import { registerCopyCommand } from './copy.ts';
import { registerExportCommand } from './export.ts';
import { registerImportCommand } from './import.ts';
import { registerOrderCommands } from './orders.ts';
import { registerWorkflowCommands } from './workflows.ts';

function role(value: string): string {
  if (!isRole(value)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  return value;
}

const program = new Command()
  .name('floorboard')
  .description('Floorboard: production-order tracking. The database is DATABASE_URL (default sqlite:./data/floorboard.db).')
  .showHelpAfterError();

program
  .command('serve')
  .description('Run the server (PORT, HOST, DATABASE_URL); migrations run first')
  .option('--demo', 'seed the demo workspace into an empty database')
  .action(async (opts: { demo?: boolean }) => {
    const { serve } = await import('./serve.ts');
    await serve({ databaseUrl: databaseUrl(), demo: opts.demo ?? false });
  });

program
  .command('migrate')
  .description('Bring the database schema up to date, and nothing else')
  .action(async () => {
    const { openDb } = await import('../store/db.ts');
    const { migrate } = await import('../store/migrations/index.ts');
    const db = openDb(databaseUrl());
    const applied = await migrate(db).finally(() => db.close());
    console.log(applied.length ? `Applied ${applied.join(', ')}` : 'The database is up to date');
  });

registerWorkflowCommands(program);
registerOrderCommands(program);
registerExportCommand(program);
registerBackupCommands(program);
registerCopyCommand(program);
registerImportCommand(program);

const user = program.command('user').description('Manage users');
user
  .command('create')
  .description('Create a user')
  .requiredOption('--email <email>')
  .requiredOption('--name <name>')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, role)
  .requiredOption('--password <password>')
  .action(async (opts: { email: string; name: string; role: string; password: string }) => {
    const { createUser } = await import('../app/manage-access.ts');
    const { SYSTEM_ACTOR } = await import('../app/context.ts');
    const created = await withApp((app) =>
      createUser(app, SYSTEM_ACTOR, {
        email: opts.email,
        name: opts.name,
        role: opts.role as Actor['role'],
        password: opts.password,
      }),
    );
    console.log(`Created ${created.role} ${created.email} (${created.id})`);
  });

const token = program.command('token').description('Manage API tokens');
token
  .command('create')
  .description('Create an API token for a user; prints the token alone on stdout')
  .requiredOption('--email <email>')
  .option('--label <label>')
  .action(async (opts: { email: string; label?: string }) => {
    const { issueToken } = await import('../app/manage-access.ts');
    const { findUserByEmail } = await import('../store/access.ts');
    const { SYSTEM_ACTOR } = await import('../app/context.ts');
    const issued = await withApp(async (app) => {
      const found = await findUserByEmail(app.db.kysely, opts.email);
      if (!found) throw new Problem('not-found', `No user with e-mail ${opts.email}`);
      return issueToken(app, SYSTEM_ACTOR, found.user.id, opts.label ?? null);
    });
    process.stdout.write(`${issued.token}\n`);
  });

const audit = program.command('audit').description('The audit trail');
audit
  .command('verify')
  .description('Check the hash chain of every event: exit 0 when intact, 1 naming the first broken event')
  .action(async () => {
    const { verifyAudit } = await import('../app/verify-audit.ts');
    const report = await withApp((app) => verifyAudit(app));
    if (report.ok) {
      console.log(`Audit chain intact: ${report.events} events, last #${report.lastSeq} ${report.lastHash}`);
    } else {
      console.error(`Audit chain BROKEN at event #${report.broken!.seq}: ${report.broken!.detail}`);
      console.error(`${report.events} events before it verified.`);
      process.exitCode = 1;
    }
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof Problem) {
    const errors = (err.extra.errors as Array<{ path: string; message: string }> | undefined) ?? [];
    console.error(`floorboard: ${err.detail}`);
    for (const e of errors) console.error(`  ${e.path}: ${e.message}`);
    process.exitCode = 2;
    return;
  }
  console.error(`floorboard: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
