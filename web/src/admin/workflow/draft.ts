// A workflow as the editor holds it while it is changed: stages and fields with stable ids (they move and get
// renamed), the API's shape on the way in and out, and the checks the API makes so mistakes show before saving.
import { keyFromLabel } from '../../../../src/domain/workflow-keys.ts';
import type { FieldDef, FieldType, Role, StageDef, Workflow } from '../../api/types.ts';

export const KEY = /^[a-z][a-z0-9_]{0,39}$/;

export interface StageDraft {
  /** The editor's own handle on the stage: stays while its key, label and place change. */
  id: string;
  /** The key and label saved in the workflow; null for a stage added here. Orders refer to a saved key. */
  saved: { key: string; label: string } | null;
  /** Whether the key was typed rather than derived from the label (new stages only). */
  keyTyped: boolean;
  /** Properties this editor does not show, kept as they were so saving never drops them. */
  rest: Record<string, unknown>;
  key: string;
  label: string;
  ownerRole: Role;
  nextAction: string;
  stallAfterHours: string;
  stallHoursBasis: 'working' | 'calendar' | '';
  customerLabel: string;
  requires: string[];
  notifyCustomer: boolean;
  invoiceTrigger: boolean;
  wipLimit: string;
}

export interface FieldDraft {
  id: string;
  saved: boolean;
  keyTyped: boolean;
  rest: Record<string, unknown>;
  key: string;
  label: string;
  type: FieldType;
  /** A select field's options, one per entry, in the order the order form offers them. */
  options: string[];
  required: boolean;
  min: string;
  max: string;
  visibleTo: Role[];
}

export interface Draft {
  key: string;
  name: string;
  orderPrefix: string;
  stages: StageDraft[];
  fields: FieldDraft[];
}

let counter = 0;
const newId = (kind: string) => `${kind}-${++counter}`;

const num = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

const STAGE_KEYS = [
  'key',
  'label',
  'ownerRole',
  'nextAction',
  'stallAfterHours',
  'stallHoursBasis',
  'customerLabel',
  'requires',
  'notifyCustomer',
  'invoiceTrigger',
  'wipLimit',
];
const FIELD_KEYS = ['key', 'label', 'type', 'options', 'required', 'min', 'max', 'visibleTo'];

function without(o: object, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}

export function toDraft(wf: Workflow): Draft {
  return {
    key: wf.key,
    name: wf.name,
    orderPrefix: wf.orderPrefix,
    stages: wf.stages.map((s) => ({
      id: newId('stage'),
      saved: { key: s.key, label: s.label },
      keyTyped: true,
      rest: without(s, STAGE_KEYS),
      key: s.key,
      label: s.label,
      ownerRole: s.ownerRole,
      nextAction: s.nextAction,
      stallAfterHours: num(s.stallAfterHours),
      stallHoursBasis: s.stallHoursBasis ?? '',
      customerLabel: s.customerLabel ?? '',
      requires: s.requires ?? [],
      notifyCustomer: Boolean(s.notifyCustomer),
      invoiceTrigger: Boolean(s.invoiceTrigger),
      wipLimit: num(s.wipLimit),
    })),
    fields: wf.fields.map((f) => ({
      id: newId('field'),
      saved: true,
      keyTyped: true,
      rest: without(f, FIELD_KEYS),
      key: f.key,
      label: f.label,
      type: f.type,
      options: f.options ?? [],
      required: Boolean(f.required),
      min: num(f.min),
      max: num(f.max),
      visibleTo: f.visibleTo ?? [],
    })),
  };
}

/** A stage added in the editor: its key follows its label until someone types one. */
export function blankStage(taken: string[], label = ''): StageDraft {
  return {
    id: newId('stage'),
    saved: null,
    keyTyped: false,
    rest: {},
    key: keyFromLabel(label, taken),
    label,
    ownerRole: 'production',
    nextAction: '',
    stallAfterHours: '',
    stallHoursBasis: '',
    customerLabel: '',
    requires: [],
    notifyCustomer: false,
    invoiceTrigger: false,
    wipLimit: '',
  };
}

export function blankField(taken: string[]): FieldDraft {
  return {
    id: newId('field'),
    saved: false,
    keyTyped: false,
    rest: {},
    key: keyFromLabel('', taken, 'field'),
    label: '',
    type: 'text',
    options: [],
    required: false,
    min: '',
    max: '',
    visibleTo: [],
  };
}

export function newWorkflow(): Draft {
  const received = { ...blankStage([], 'Order received'), ownerRole: 'sales' as Role, nextAction: 'Confirm the order' };
  const done = { ...blankStage([received.key], 'Done'), ownerRole: 'fulfillment' as Role };
  return {
    key: '',
    name: '',
    orderPrefix: '',
    stages: [received, { ...done, nextAction: 'Nothing: the order is complete' }],
    fields: [],
  };
}

/** A new stage's label changed: its key follows, unless someone typed one. A saved stage keeps its key. */
export function relabelStage(stages: StageDraft[], id: string, label: string): StageDraft[] {
  return stages.map((s) => {
    if (s.id !== id) return s;
    if (s.saved || s.keyTyped) return { ...s, label };
    const taken = stages.filter((o) => o.id !== id).map((o) => o.key);
    return { ...s, label, key: keyFromLabel(label, taken) };
  });
}

export function relabelField(fields: FieldDraft[], id: string, label: string): FieldDraft[] {
  return fields.map((f) => {
    if (f.id !== id) return f;
    if (f.saved || f.keyTyped) return { ...f, label };
    const taken = fields.filter((o) => o.id !== id).map((o) => o.key);
    return { ...f, label, key: keyFromLabel(label, taken, 'field') };
  });
}

/** `list` with the entry at `from` moved to `to`. */
export function moved<T>(list: T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  if (item === undefined) return list;
  next.splice(Math.max(0, Math.min(to, next.length)), 0, item);
  return next;
}

/** The draft as the API wants it. */
export function toInput(d: Draft) {
  const optionalNumber = (v: string) => (v.trim() === '' ? undefined : Number(v));
  return {
    key: d.key.trim(),
    name: d.name.trim(),
    orderPrefix: d.orderPrefix.trim(),
    stages: d.stages.map(
      (s): StageDef => ({
        ...s.rest,
        ...(s.stallHoursBasis ? { stallHoursBasis: s.stallHoursBasis } : {}),
        key: s.key.trim(),
        label: s.label.trim(),
        ownerRole: s.ownerRole,
        nextAction: s.nextAction.trim(),
        stallAfterHours: optionalNumber(s.stallAfterHours) ?? null,
        customerLabel: s.customerLabel.trim() || null,
        requires: s.requires,
        notifyCustomer: s.notifyCustomer,
        invoiceTrigger: s.invoiceTrigger,
        wipLimit: optionalNumber(s.wipLimit) ?? null,
      }),
    ),
    fields: d.fields.map((f) => {
      const def: FieldDef = { ...f.rest, key: f.key.trim(), label: f.label.trim(), type: f.type, required: f.required };
      if (f.type === 'select') def.options = f.options.map((o) => o.trim()).filter(Boolean);
      const min = optionalNumber(f.min);
      const max = optionalNumber(f.max);
      if (min !== undefined) def.min = min;
      if (max !== undefined) def.max = max;
      if (f.visibleTo.length) def.visibleTo = f.visibleTo;
      return def;
    }),
  };
}

/**
 * Problems by where they show: `key`, `name`, `orderPrefix`, `stages`, `stage:<id>.<member>`, `field:<id>.<member>`.
 * Ids, not places: a stage dragged elsewhere keeps its messages.
 */
export type Problems = Record<string, string>;

/** The API's problem paths (`stages.3.label`) for the draft as it was sent. */
export function fromApiPaths(d: Draft, errors: Array<{ path: string; message: string }>): Problems {
  const out: Problems = {};
  for (const { path, message } of errors) {
    const m = /^(stages|fields)\.(\d+)(?:\.([a-zA-Z]+))?/.exec(path);
    const entry = m ? (m[1] === 'stages' ? d.stages : d.fields)[Number(m[2])] : undefined;
    const at = m && entry ? `${m[1] === 'stages' ? 'stage' : 'field'}:${entry.id}.${m[3] ?? 'key'}` : path;
    out[at] ??= message;
  }
  return out;
}

/** The checks the API makes, so each mistake shows beside its input before saving. */
export function check(d: Draft, isNew: boolean): Problems {
  const e: Problems = {};
  if (isNew && !/^[a-z][a-z0-9_-]{0,39}$/.test(d.key)) e.key = 'Lowercase letters, digits, _ and -, starting with a letter';
  if (!d.name.trim()) e.name = 'Give the workflow a name';
  if (!/^[A-Z][A-Z0-9]{0,9}$/.test(d.orderPrefix)) e.orderPrefix = '1 to 10 capital letters or digits, e.g. ORD';
  if (d.stages.length < 2) e.stages = 'A workflow needs at least two stages';
  const fieldKeys = new Set<string>();
  for (const f of d.fields) {
    const at = `field:${f.id}`;
    if (!KEY.test(f.key)) e[`${at}.key`] = 'Lowercase letters, digits and _, starting with a letter';
    else if (fieldKeys.has(f.key)) e[`${at}.key`] = `"${f.key}" is used twice`;
    fieldKeys.add(f.key);
    if (!f.label.trim()) e[`${at}.label`] = 'Give the field a label';
    if (f.type === 'select') {
      const options = f.options.map((o) => o.trim());
      if (!options.some(Boolean)) e[`${at}.options`] = 'Add at least one option';
      else if (options.some((o) => !o)) e[`${at}.options`] = 'Fill in or remove the empty option';
      else if (new Set(options).size !== options.length) e[`${at}.options`] = 'An option is listed twice';
    }
    for (const k of ['min', 'max'] as const) if (f[k].trim() && !Number.isFinite(Number(f[k]))) e[`${at}.${k}`] = 'A number';
    if (f.min.trim() && f.max.trim() && Number(f.min) > Number(f.max)) e[`${at}.min`] = 'Min is greater than max';
  }
  const stageKeys = new Set<string>();
  for (const s of d.stages) {
    const at = `stage:${s.id}`;
    if (!KEY.test(s.key)) e[`${at}.key`] = 'Lowercase letters, digits and _, starting with a letter';
    else if (stageKeys.has(s.key)) e[`${at}.key`] = `"${s.key}" is used twice`;
    stageKeys.add(s.key);
    if (!s.label.trim()) e[`${at}.label`] = 'Give the stage a label';
    if (!s.nextAction.trim()) e[`${at}.nextAction`] = 'Say what the owner does next';
    if (s.stallAfterHours.trim() && !(Number(s.stallAfterHours) > 0)) e[`${at}.stallAfterHours`] = 'Hours above 0, e.g. 8 or 0.5';
    if (s.wipLimit.trim() && !(Number.isInteger(Number(s.wipLimit)) && Number(s.wipLimit) > 0)) {
      e[`${at}.wipLimit`] = 'A whole number above 0';
    }
    const unknown = s.requires.filter((r) => !d.fields.some((f) => f.key === r));
    if (unknown.length) e[`${at}.requires`] = `Unknown field ${unknown.join(', ')}`;
  }
  return e;
}

/** The problems of one stage or field, by member. */
export function problemsOf(problems: Problems, kind: 'stage' | 'field', id: string): Record<string, string> {
  const prefix = `${kind}:${id}.`;
  return Object.fromEntries(
    Object.entries(problems)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
}
