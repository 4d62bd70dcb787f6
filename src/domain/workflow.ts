// Workflows: the ordered stages an order moves through, who owns each, and the fields an order carries.
import type { Role } from './roles.ts';

export type StageKey = string;
export type FieldKey = string;

export const STALL_BASES = ['working', 'calendar'] as const;
export type StallBasis = (typeof STALL_BASES)[number];

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
  /** Whether `stallAfterHours` counts the business calendar's working hours (the default) or every hour. */
  stallHoursBasis?: StallBasis;
  /** What the customer is told while the order is in this stage. */
  customerLabel?: string | null;
  /** Fields that must hold a value before an order may leave the stage. */
  requires?: FieldKey[];
  notifyCustomer?: boolean;
  invoiceTrigger?: boolean;
  wipLimit?: number | null;
  /** The customer approves here on their tracking page (a proof, say): approving moves the order on. */
  customerApproval?: boolean;
  /** The url field the tracking page links to as the thing to approve (with `customerApproval`). */
  proofField?: FieldKey;
  /** Where an order goes back to when the customer asks for changes (with `customerApproval`); an earlier stage. */
  changesReturnTo?: StageKey;
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
    const options = field.options ?? [];
    const twice = options.find((o, j) => options.indexOf(o) !== j);
    if (twice !== undefined) {
      problems.push({ path: `fields.${i}.options`, message: `Option "${twice}" is listed twice` });
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
    problems.push(...checkCustomerApproval(def, stage, i));
  });
  return problems;
}

/** A customer-approval stage needs a stage after it, a url field as its proof, and an earlier stage to return to. */
function checkCustomerApproval(def: WorkflowDefinition, stage: StageDef, i: number): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const approval = stage.customerApproval === true;
  if (stage.proofField !== undefined) {
    const field = def.fields.find((f) => f.key === stage.proofField);
    if (!approval) problems.push({ path: `stages.${i}.proofField`, message: 'Only a customerApproval stage has a proof field' });
    else if (!field) problems.push({ path: `stages.${i}.proofField`, message: `Unknown field "${stage.proofField}"` });
    else if (field.type !== 'url')
      problems.push({ path: `stages.${i}.proofField`, message: 'The proof field must be a url field' });
    else if (field.visibleTo) {
      problems.push({
        path: `stages.${i}.proofField`,
        message: 'The customer sees the proof field: it cannot be hidden from roles',
      });
    }
  }
  if (stage.changesReturnTo !== undefined) {
    const to = def.stages.findIndex((s) => s.key === stage.changesReturnTo);
    if (!approval) {
      problems.push({
        path: `stages.${i}.changesReturnTo`,
        message: 'Only a customerApproval stage says where changes go back to',
      });
    } else if (to < 0) {
      problems.push({ path: `stages.${i}.changesReturnTo`, message: `Unknown stage "${stage.changesReturnTo}"` });
    } else if (to >= i) {
      problems.push({ path: `stages.${i}.changesReturnTo`, message: 'Changes go back to an earlier stage' });
    }
  }
  if (approval && i === def.stages.length - 1) {
    problems.push({
      path: `stages.${i}.customerApproval`,
      message: 'The last stage cannot wait for approval: nothing comes after it',
    });
  }
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
