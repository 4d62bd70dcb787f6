// Proposing a mapping from a file's headers, its values and the workflow's stage labels, for whatever the caller left out.
import type { WorkflowDefinition } from '../workflow.ts';
import { CANCELLED, type FileTable, type ImportMapping } from './model.ts';

/** A header or label reduced to letters and digits, so "Due date", "due_date" and "DUE-DATE" meet. */
export function norm(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const ORDER_COLUMNS: Record<string, string[]> = {
  reference: ['reference', 'ref', 'externalid', 'orderid', 'jobid', 'id', 'caseid', 'case'],
  number: ['number', 'ordernumber', 'orderno', 'order', 'no', 'jobnumber', 'jobno'],
  title: ['title', 'ordertitle', 'jobname', 'job', 'name', 'description', 'summary', 'product', 'item'],
  customerName: ['customer', 'customername', 'client', 'clientname', 'company', 'account'],
  customerEmail: ['customeremail', 'email', 'clientemail', 'mail', 'contactemail'],
  dueDate: ['duedate', 'due', 'deadline', 'dueby', 'promiseddate', 'promised', 'deliverydate', 'shipby', 'needby'],
  priority: ['priority', 'urgency'],
  createdAt: ['createdat', 'created', 'orderdate', 'dateordered', 'opened', 'received', 'date'],
  completedAt: ['completedat', 'completed', 'finished', 'closedat', 'closed', 'done'],
  stage: ['stage', 'status', 'state', 'currentstage', 'step', 'column', 'list'],
};
const EVENT_COLUMNS: Record<string, string[]> = {
  stage: ['activity', 'stage', 'status', 'event', 'step', 'state'],
  at: ['timestamp', 'time', 'at', 'datetime', 'completetimestamp', 'starttimestamp', 'date', 'enteredat', 'entered'],
};
const DATE_WORDS = /(date|at|on|entered|enteredat|since|time|start|started)$/;

function pick(headers: string[], taken: Set<string>, names: string[]): string | undefined {
  for (const name of names) {
    const found = headers.find((h) => !taken.has(h) && norm(h) === name);
    if (found) return found;
  }
  return undefined;
}

/** Which stage a status value names: its key or its label, whatever the case; "cancelled" for a cancelled order. */
export function stageForValue(wf: WorkflowDefinition, value: string): string | undefined {
  const v = norm(value);
  if (!v) return undefined;
  const stage = wf.stages.find((s) => norm(s.key) === v || norm(s.label) === v);
  if (stage) return stage.key;
  if (v === 'cancelled' || v === 'canceled') return CANCELLED;
  return undefined;
}

/** The mapping given, with each part it leaves out proposed from the file. */
export function proposeMapping(
  table: FileTable,
  wf: WorkflowDefinition,
  given: ImportMapping,
  kind: 'rows' | 'events',
): ImportMapping {
  const headers = table.headers;
  const taken = new Set<string>(
    [
      ...Object.values(given).filter((v): v is string => typeof v === 'string'),
      ...Object.values(given.stageDates ?? {}),
      ...Object.values(given.fields ?? {}),
    ].filter((v) => headers.includes(v)),
  );
  const out: ImportMapping = { ...given };
  const take = (key: keyof ImportMapping, names: string[]) => {
    if (out[key] !== undefined) return;
    const found = pick(headers, taken, names);
    if (found) {
      (out as Record<string, unknown>)[key] = found;
      taken.add(found);
    }
  };
  if (kind === 'events') {
    take('reference', [...(ORDER_COLUMNS.reference ?? []), 'number', 'ordernumber']);
    for (const [key, names] of Object.entries(EVENT_COLUMNS)) take(key as keyof ImportMapping, names);
  }
  for (const [key, names] of Object.entries(ORDER_COLUMNS)) take(key as keyof ImportMapping, names);
  if (kind === 'rows' && out.stageDates === undefined) {
    const dates: Record<string, string> = {};
    for (const stage of wf.stages) {
      const names = [norm(stage.key), norm(stage.label)];
      const found = headers.find((h) => {
        if (taken.has(h)) return false;
        const n = norm(h);
        return names.includes(n) || names.includes(n.replace(DATE_WORDS, ''));
      });
      if (found) {
        dates[stage.key] = found;
        taken.add(found);
      }
    }
    out.stageDates = dates;
  }
  if (out.fields === undefined) {
    const fields: Record<string, string> = {};
    for (const f of wf.fields) {
      const found = headers.find((h) => !taken.has(h) && (norm(h) === norm(f.key) || norm(h) === norm(f.label)));
      if (found) {
        fields[f.key] = found;
        taken.add(found);
      }
    }
    out.fields = fields;
  }
  if (out.stage && headers.includes(out.stage)) {
    const values: Record<string, string> = {};
    for (const r of table.rows) {
      const v = (r.cells[out.stage] ?? '').trim();
      if (!v || values[v] !== undefined || given.stageValues?.[v] !== undefined) continue;
      const stage = stageForValue(wf, v);
      if (stage) values[v] = stage;
    }
    out.stageValues = { ...values, ...(given.stageValues ?? {}) };
  }
  return out;
}
