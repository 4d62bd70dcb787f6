// `floorboard copy --to postgres://...`: moves the SQLite workspace DATABASE_URL names into an empty PostgreSQL database.
import type { Command } from 'commander';
import { databaseUrl } from './app.ts';

export function registerCopyCommand(program: Command): void {
  program
    .command('copy')
    .description(
      'Copy the whole SQLite workspace (every table: users, tokens, workflows, orders, events with their hashes, settings, outbox) ' +
        'into an empty database, in one transaction; then verify its audit chain there. Stop the server first.',
    )
    .requiredOption('--to <url>', 'the empty target database, e.g. postgres://user@host:5432/floorboard')
    .action(async (opts: { to: string }) => {
      const { openDb } = await import('../store/db.ts');
      const { copyWorkspace } = await import('../app/copy-workspace.ts');
      const source = openDb(databaseUrl());
      const target = openDb(opts.to);
      try {
        const report = await copyWorkspace(source, target, (name, rows) => console.error(`  ${name}: ${rows} rows`));
        const rows = report.tables.reduce((n, t) => n + t.rows, 0);
        console.log(
          `Copied ${report.tables.length} tables (${rows} rows) from ${source.description} to ${target.description}; ` +
            `audit chain intact there (${report.events} events, last #${report.lastSeq})`,
        );
      } finally {
        await source.close();
        await target.close();
      }
    });
}
