// `floorboard import csv|csv-events|xlsx|trello FILE --workflow K`: the import API from the command line, with the same checks.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { SYSTEM_ACTOR } from '../app/context.ts';
import type { ImportSummary } from '../app/imports/run-import.ts';
import { Problem, validationFailed } from '../app/problem.ts';
import { IMPORT_SOURCES, type ImportIssue, type ImportSource } from '../domain/import/model.ts';
import { actingUser, withApp } from './app.ts';

function source(value: string): ImportSource {
  if (!(IMPORT_SOURCES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`must be one of ${IMPORT_SOURCES.join(', ')}`);
  return value as ImportSource;
}

// The import's code (parsers, XLSX reader, schemas) loads only when the command runs, so `floorboard --help` stays quick.
const importCode = () => import('../app/imports/run-import.ts');

async function readMapping(path: string) {
  const { ImportMapping } = await import('../http/import-schemas.ts');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw validationFailed(`The mapping file ${path} is not JSON: ${(err as Error).message}`);
  }
  const parsed = ImportMapping.safeParse(json);
  if (!parsed.success)
    throw validationFailed(
      'The mapping file is not valid',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  return parsed.data;
}

async function printIssues(title: string, issues: ImportIssue[], total: number, out: (line: string) => void): Promise<void> {
  if (!total) return;
  const { describe } = await importCode();
  out(`${title} (${total}):`);
  for (const e of issues) out(`  ${describe(e)}${e.value ? ` [${JSON.stringify(e.value)}]` : ''}`);
  if (total > issues.length) out(`  ... and ${total - issues.length} more`);
}

async function printSummary(s: ImportSummary): Promise<void> {
  const verb = s.dryRun ? 'would create' : 'created';
  console.log(
    `${s.dryRun ? 'Dry run of' : 'Imported'} ${s.fileName ?? 'the file'} (${s.source}, sha256 ${s.sha256.slice(0, 12)}) into ${s.workflow}: ${s.rows} rows; ${verb} ${s.orders.created} orders, ${s.dryRun ? 'would update' : 'updated'} ${s.orders.updated}, ${s.orders.unchanged} unchanged; ${s.events} events`,
  );
  if (s.id) console.log(`Import ${s.id} (undo: POST /api/v1/imports/${s.id}/undo)`);
  for (const [column, values] of Object.entries(s.unmappedValues))
    console.log(
      `Values of ${column} that match no stage: ${Object.entries(values)
        .map(([v, n]) => `"${v}" (${n})`)
        .join(', ')}`,
    );
  await printIssues('Warnings', s.warnings, s.warnings.length, (l) => console.log(l));
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('Import orders and their history from a CSV file, a CSV event log, an XLSX workbook or a Trello board export')
    .argument('<source>', IMPORT_SOURCES.join(', '), source)
    .argument('<file>', 'the file to import')
    .requiredOption('--workflow <key>', 'the workflow the orders go into')
    .option(
      '--map <mapping.json>',
      'how columns (or Trello lists and custom fields) become orders; what it leaves out is proposed',
    )
    .option('--dry-run', 'read, check and preview; write nothing')
    .option('--as <email>', 'import as this user (an admin or manager); the audit trail names them')
    .option('--json', 'print the whole summary as JSON')
    .action(
      async (
        src: ImportSource,
        file: string,
        opts: { workflow: string; map?: string; dryRun?: boolean; as?: string; json?: boolean },
      ) => {
        const mapping = opts.map ? await readMapping(opts.map) : undefined;
        let content: Buffer;
        try {
          content = readFileSync(file);
        } catch (err) {
          throw validationFailed(`Cannot read ${file}: ${(err as Error).message}`);
        }
        try {
          const summary = await withApp(async (app) => {
            const actor = opts.as ? await actingUser(app, opts.as) : SYSTEM_ACTOR;
            const { runImport } = await importCode();
            return runImport(app, actor, {
              workflow: opts.workflow,
              source: src,
              content,
              mapping,
              dryRun: opts.dryRun ?? false,
              fileName: basename(file),
            });
          });
          if (opts.json) console.log(JSON.stringify(summary, null, 2));
          else await printSummary(summary);
          if (summary.errors.length) {
            await printIssues('Errors', summary.errors, summary.errors.length, (l) => console.error(l));
            process.exitCode = 1;
          }
        } catch (err) {
          if (!(err instanceof Problem) || err.code !== 'import-invalid') throw err;
          const errors = err.extra.errors as ImportIssue[];
          console.error(`floorboard: ${err.detail}`);
          await printIssues('Errors', errors, Number(err.extra.errorCount ?? errors.length), (l) => console.error(l));
          process.exitCode = 1;
        }
      },
    );
}
