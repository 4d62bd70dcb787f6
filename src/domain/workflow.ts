// Workflows: the ordered stages an order moves through, who owns each, and the fields an order carries.
import type { Role } from './roles.ts';

export type StageKey = string;
export type FieldKey = string;

export const FIELD_TYPES = ['text', 'number', 'money', 'date', 'select', 'checkbox', 'url'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

export interface FieldDef {
  key: FieldKey;
  label: string;
  type: FieldType;
  options?: string[];
  required?: boolean;
  min?: number;
  max?: number;
  /** Roles that may see the field; absent means everyone signed in. */
  visibleTo?: Role[];
}

export interface StageDef {
  key: StageKey;
  label: string;
  ownerRole: Role;
  nextAction: string;
  /** Hours an order may sit in the stage before it counts as stalled; fractional allowed. */
  stallAfterHours?: number | null;
  /** What the customer is told while the order is in this stage. */
  customerLabel?: string | null;
  /** Fields that must hold a value before an order may leave the stage. */
  requires?: FieldKey[];
  notifyCustomer?: boolean;
  invoiceTrigger?: boolean;
  wipLimit?: number | null;
}

export interface WorkflowDefinition {
  key: string;
  name: string;
  orderPrefix: string;
  stages: StageDef[];
  fields: FieldDef[];
}

export interface Workflow extends WorkflowDefinition {
  version: number;
}

export interface DefinitionProblem {
  path: string;
  message: string;
}

/**
 * Rules a workflow definition must satisfy beyond its shape: unique keys, known
 * field references, options for select fields. Returns every problem found.
 */
export function checkWorkflowDefinition(def: WorkflowDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  if (def.stages.length < 2) {
    problems.push({ path: 'stages', message: 'A workflow needs at least two stages' });
  }
  const fieldKeys = new Set<string>();
  def.fields.forEach((field, i) => {
    if (fieldKeys.has(field.key)) {
      problems.push({ path: `fields.${i}.key`, message: `Field key "${field.key}" is used twice` });
    }
    fieldKeys.add(field.key);
    if (field.type === 'select' && (!field.options || field.options.length === 0)) {
      problems.push({ path: `fields.${i}.options`, message: 'A select field needs at least one option' });
    }
    if (field.type !== 'select' && field.options !== undefined) {
      problems.push({ path: `fields.${i}.options`, message: 'Only select fields have options' });
    }
    if (field.min !== undefined && field.max !== undefined && field.min > field.max) {
      problems.push({ path: `fields.${i}.min`, message: 'min is greater than max' });
    }
  });
  const stageKeys = new Set<string>();
  def.stages.forEach((stage, i) => {
    if (stageKeys.has(stage.key)) {
      problems.push({ path: `stages.${i}.key`, message: `Stage key "${stage.key}" is used twice` });
    }
    stageKeys.add(stage.key);
    (stage.requires ?? []).forEach((req, j) => {
      if (!fieldKeys.has(req)) {
        problems.push({ path: `stages.${i}.requires.${j}`, message: `Unknown field "${req}"` });
      }
    });
  });
  return problems;
}

export function findStage(wf: WorkflowDefinition, key: StageKey): StageDef | undefined {
  return wf.stages.find((s) => s.key === key);
}

export function stageIndex(wf: WorkflowDefinition, key: StageKey): number {
  return wf.stages.findIndex((s) => s.key === key);
}

export function firstStage(wf: WorkflowDefinition): StageDef {
  const first = wf.stages[0];
  if (!first) throw new Error(`workflow ${wf.key} has no stages`);
  return first;
}

/** The last stage is final: entering it completes the order. */
export function isFinalStage(wf: WorkflowDefinition, key: StageKey): boolean {
  return wf.stages[wf.stages.length - 1]?.key === key;
}

export function findField(wf: WorkflowDefinition, key: FieldKey): FieldDef | undefined {
  return wf.fields.find((f) => f.key === key);
}

/** Stage keys of `previous` that `next` drops: orders in them would be stranded. */
export function removedStages(previous: WorkflowDefinition, next: WorkflowDefinition): StageKey[] {
  const kept = new Set(next.stages.map((s) => s.key));
  return previous.stages.map((s) => s.key).filter((k) => !kept.has(k));
}
