// `floorboard workflow ...`: list, show, create and revise workflows from JSON files.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../app/context.ts';
import { validationFailed } from '../app/problem.ts';
import type { WorkflowDefinition } from '../domain/workflow.ts';
import { print, withApp } from './app.ts';

/** Reads and checks a definition the same way the API does (the schemas load only when a file is read). */
async function readDefinition(path: string): Promise<WorkflowDefinition> {
  const { WorkflowInput } = await import('../http/schemas.ts');
  const parsed = WorkflowInput.safeParse(JSON.parse(readFileSync(path === '-' ? 0 : path, 'utf8')));
  if (!parsed.success) {
    throw validationFailed(
      'The workflow file is not valid',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return parsed.data;
}

export function registerWorkflowCommands(program: Command): void {
  const workflow = program.command('workflow').description('List, show, create and revise workflows');

  workflow
    .command('list')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { listWorkflows } = await import('../store/workflows.ts');
      const all = await withApp((app) => listWorkflows(app.db.kysely));
      print(all, opts, () => [
        ['KEY', 'VERSION', 'PREFIX', 'STAGES', 'NAME'],
        ...all.map((w) => [w.key, String(w.version), w.orderPrefix, String(w.stages.length), w.name]),
      ]);
    });

  workflow
    .command('show <key>')
    .option('--json', 'print JSON')
    .action(async (key: string, opts: { json?: boolean }) => {
      const { loadWorkflow } = await import('../app/load.ts');
      const wf = await withApp((app) => loadWorkflow(app.db.kysely, key));
      print(wf, opts, () => [
        ['STAGE', 'OWNER', 'STALL H', 'REQUIRES', 'LABEL / NEXT ACTION'],
        ...wf.stages.map((s) => [
          s.key,
          s.ownerRole,
          String(s.stallAfterHours ?? '-'),
          (s.requires ?? []).join(',') || '-',
          `${s.label}: ${s.nextAction}`,
        ]),
      ]);
    });

  workflow
    .command('create')
    .description('Create a workflow from a JSON file (the body of POST /api/v1/workflows)')
    .requiredOption('--file <path>', 'JSON file, or - for standard input')
    .action(async (opts: { file: string }) => {
      const def = await readDefinition(opts.file);
      const { createWorkflow } = await import('../app/manage-workflows.ts');
      const wf = await withApp((app) => createWorkflow(app, SYSTEM_ACTOR, def));
      console.log(`Created workflow ${wf.key} (version ${wf.version}, ${wf.stages.length} stages)`);
    });

  workflow
    .command('update <key>')
    .description('Revise a workflow from a JSON file: a new version; stages holding orders cannot be removed')
    .requiredOption('--file <path>', 'JSON file, or - for standard input')
    .action(async (key: string, opts: { file: string }) => {
      const def = await readDefinition(opts.file);
      const { reviseWorkflow } = await import('../app/manage-workflows.ts');
      const wf = await withApp((app) => reviseWorkflow(app, SYSTEM_ACTOR, key, def));
      console.log(`Workflow ${wf.key} is now version ${wf.version}`);
    });
}
