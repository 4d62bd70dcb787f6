// The workflow editor: stages (label, owner, next action, stall hours, customer label, requirements) and fields
// (type, options, visibility). Checked here as the API will check it; saving makes a new version.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, post, put } from '../api/client.ts';
import { keys, useWorkflows } from '../api/queries.ts';
import { FIELD_TYPES, type FieldDef, type FieldType, ROLES, type Role, type StageDef, type Workflow } from '../api/types.ts';
import { ROLE_NAMES } from '../auth/roles.ts';
import { Field } from '../ui/Field.tsx';
import { notify } from '../ui/notices.tsx';

const KEY = /^[a-z][a-z0-9_]{0,39}$/;

interface StageDraft {
  /** Properties this editor does not show, kept as they were so saving never drops them. */
  rest: Record<string, unknown>;
  key: string;
  label: string;
  ownerRole: Role;
  nextAction: string;
  stallAfterHours: string;
  customerLabel: string;
  requires: string[];
  notifyCustomer: boolean;
  invoiceTrigger: boolean;
  wipLimit: string;
  stallHoursBasis: 'working' | 'calendar' | '';
}

interface FieldDraft {
  rest: Record<string, unknown>;
  key: string;
  label: string;
  type: FieldType;
  options: string;
  required: boolean;
  min: string;
  max: string;
  visibleTo: Role[];
}

interface Draft {
  key: string;
  name: string;
  orderPrefix: string;
  stages: StageDraft[];
  fields: FieldDraft[];
}

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

function toDraft(wf: Workflow): Draft {
  return {
    key: wf.key,
    name: wf.name,
    orderPrefix: wf.orderPrefix,
    stages: wf.stages.map((s) => ({
      rest: without(s, STAGE_KEYS),
      key: s.key,
      label: s.label,
      ownerRole: s.ownerRole,
      nextAction: s.nextAction,
      stallAfterHours: num(s.stallAfterHours),
      customerLabel: s.customerLabel ?? '',
      requires: s.requires ?? [],
      notifyCustomer: Boolean(s.notifyCustomer),
      invoiceTrigger: Boolean(s.invoiceTrigger),
      wipLimit: num(s.wipLimit),
      stallHoursBasis: s.stallHoursBasis ?? '',
    })),
    fields: wf.fields.map((f) => ({
      rest: without(f, FIELD_KEYS),
      key: f.key,
      label: f.label,
      type: f.type,
      options: (f.options ?? []).join(', '),
      required: Boolean(f.required),
      min: num(f.min),
      max: num(f.max),
      visibleTo: f.visibleTo ?? [],
    })),
  };
}

const blankStage = (n: number): StageDraft => ({
  rest: {},
  stallHoursBasis: '',
  key: `stage_${n}`,
  label: '',
  ownerRole: 'production',
  nextAction: '',
  stallAfterHours: '',
  customerLabel: '',
  requires: [],
  notifyCustomer: false,
  invoiceTrigger: false,
  wipLimit: '',
});

const blankField = (n: number): FieldDraft => ({
  rest: {},
  key: `field_${n}`,
  label: '',
  type: 'text',
  options: '',
  required: false,
  min: '',
  max: '',
  visibleTo: [],
});

const NEW_WORKFLOW: Draft = {
  key: '',
  name: '',
  orderPrefix: '',
  stages: [
    { ...blankStage(1), key: 'received', label: 'Order received', ownerRole: 'sales', nextAction: 'Confirm the order' },
    { ...blankStage(2), key: 'done', label: 'Done', ownerRole: 'fulfillment', nextAction: 'Nothing: the order is complete' },
  ],
  fields: [],
};

/** A stage's kept properties with customer approval on, or off together with the choices that go with it. */
function withApproval(rest: Record<string, unknown>, on: boolean): Record<string, unknown> {
  const { customerApproval: _a, proofField: _p, changesReturnTo: _c, ...others } = rest;
  return on ? { ...others, customerApproval: true } : others;
}

function withOption(
  rest: Record<string, unknown>,
  key: 'proofField' | 'changesReturnTo',
  value: string,
): Record<string, unknown> {
  const { [key]: _old, ...others } = rest;
  return value ? { ...others, [key]: value } : others;
}

/** The draft as the API wants it. */
function toInput(d: Draft) {
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
      if (f.type === 'select') {
        def.options = f.options
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean);
      }
      const min = optionalNumber(f.min);
      const max = optionalNumber(f.max);
      if (min !== undefined) def.min = min;
      if (max !== undefined) def.max = max;
      if (f.visibleTo.length) def.visibleTo = f.visibleTo;
      return def;
    }),
  };
}

/** The checks the API makes, so each mistake shows beside its input before saving. */
function check(d: Draft, isNew: boolean): Record<string, string> {
  const e: Record<string, string> = {};
  if (isNew && !/^[a-z][a-z0-9_-]{0,39}$/.test(d.key)) e.key = 'Lowercase letters, digits, _ and -, starting with a letter';
  if (!d.name.trim()) e.name = 'Give the workflow a name';
  if (!/^[A-Z][A-Z0-9]{0,9}$/.test(d.orderPrefix)) e.orderPrefix = '1 to 10 capital letters or digits, e.g. ORD';
  if (d.stages.length < 2) e.stages = 'A workflow needs at least two stages';
  const fieldKeys = new Set<string>();
  d.fields.forEach((f, i) => {
    if (!KEY.test(f.key)) e[`fields.${i}.key`] = 'Lowercase letters, digits and _, starting with a letter';
    else if (fieldKeys.has(f.key)) e[`fields.${i}.key`] = `"${f.key}" is used twice`;
    fieldKeys.add(f.key);
    if (!f.label.trim()) e[`fields.${i}.label`] = 'Give the field a label';
    if (f.type === 'select' && !f.options.split(',').some((o) => o.trim()))
      e[`fields.${i}.options`] = 'List the options, separated by commas';
    for (const k of ['min', 'max'] as const)
      if (f[k].trim() && !Number.isFinite(Number(f[k]))) e[`fields.${i}.${k}`] = 'A number';
    if (f.min.trim() && f.max.trim() && Number(f.min) > Number(f.max)) e[`fields.${i}.min`] = 'Min is greater than max';
  });
  const stageKeys = new Set<string>();
  d.stages.forEach((s, i) => {
    if (!KEY.test(s.key)) e[`stages.${i}.key`] = 'Lowercase letters, digits and _, starting with a letter';
    else if (stageKeys.has(s.key)) e[`stages.${i}.key`] = `"${s.key}" is used twice`;
    stageKeys.add(s.key);
    if (!s.label.trim()) e[`stages.${i}.label`] = 'Give the stage a label';
    if (!s.nextAction.trim()) e[`stages.${i}.nextAction`] = 'Say what the owner does next';
    if (s.stallAfterHours.trim() && !(Number(s.stallAfterHours) > 0))
      e[`stages.${i}.stallAfterHours`] = 'Hours above 0, e.g. 8 or 0.5';
    if (s.wipLimit.trim() && !(Number.isInteger(Number(s.wipLimit)) && Number(s.wipLimit) > 0)) {
      e[`stages.${i}.wipLimit`] = 'A whole number above 0';
    }
    const unknown = s.requires.filter((r) => !d.fields.some((f) => f.key === r));
    if (unknown.length) e[`stages.${i}.requires`] = `Unknown field ${unknown.join(', ')}`;
  });
  return e;
}

export function WorkflowEditor() {
  const workflows = useWorkflows();
  const [selected, setSelected] = useState<string | null>(null);
  const current = workflows.data?.find((w) => w.key === (selected ?? workflows.data?.[0]?.key));
  const isNew = selected === '';
  if (workflows.isPending) return <p className="muted">Loading…</p>;
  return (
    <div>
      <div className="toolbar-group wf-picker">
        <label htmlFor="wf-pick">Workflow</label>
        <select id="wf-pick" value={isNew ? '' : (current?.key ?? '')} onChange={(e) => setSelected(e.target.value)}>
          {workflows.data?.map((w) => (
            <option key={w.key} value={w.key}>
              {w.name} (version {w.version})
            </option>
          ))}
          <option value="">+ New workflow</option>
        </select>
      </div>
      {isNew ? (
        <WorkflowForm key="new" initial={NEW_WORKFLOW} isNew onSaved={(wf) => setSelected(wf.key)} />
      ) : (
        current && (
          <WorkflowForm key={`${current.key}-${current.version}`} initial={toDraft(current)} isNew={false} onSaved={() => {}} />
        )
      )}
    </div>
  );
}

function WorkflowForm({ initial, isNew, onSaved }: { initial: Draft; isNew: boolean; onSaved: (wf: Workflow) => void }) {
  const qc = useQueryClient();
  const [d, setD] = useState<Draft>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const setStage = (i: number, change: Partial<StageDraft>) =>
    setD((x) => ({ ...x, stages: x.stages.map((s, j) => (j === i ? { ...s, ...change } : s)) }));
  const setField = (i: number, change: Partial<FieldDraft>) =>
    setD((x) => ({ ...x, fields: x.fields.map((f, j) => (j === i ? { ...f, ...change } : f)) }));
  const moveStage = (i: number, by: -1 | 1) =>
    setD((x) => {
      const stages = [...x.stages];
      const [s] = stages.splice(i, 1);
      stages.splice(i + by, 0, s!);
      return { ...x, stages };
    });

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const found = check(d, isNew);
    setErrors(found);
    setFormError(Object.keys(found).length ? 'Some entries need attention: they are marked below.' : null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const input = toInput(d);
      const saved = isNew ? await post<Workflow>('/workflows', input) : await put<Workflow>(`/workflows/${d.key}`, input);
      await qc.invalidateQueries({ queryKey: keys.workflows });
      void qc.invalidateQueries({ queryKey: ['board'] });
      notify('success', `${saved.name} saved`, `Version ${saved.version}.`);
      onSaved(saved);
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      setErrors(Object.fromEntries(err.errors.map((x) => [x.path, x.message])));
      setFormError(err.detail);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={save} noValidate className="wf-form" data-form="workflow">
      <section className="panel">
        <h2>{isNew ? 'New workflow' : d.name}</h2>
        <div className="form-grid three">
          <Field label="Key" error={errors.key} hint={isNew ? 'Used in the API, e.g. screen-print' : 'Cannot change'} required>
            {(p) => <input {...p} value={d.key} disabled={!isNew} onChange={(e) => setD({ ...d, key: e.target.value })} />}
          </Field>
          <Field label="Name" error={errors.name} required>
            {(p) => <input {...p} value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} />}
          </Field>
          <Field label="Order number prefix" error={errors.orderPrefix} hint="ORD gives ORD-1001, ORD-1002, …" required>
            {(p) => (
              <input {...p} value={d.orderPrefix} onChange={(e) => setD({ ...d, orderPrefix: e.target.value.toUpperCase() })} />
            )}
          </Field>
        </div>
      </section>

      <section className="panel">
        <div className="panel-header">
          <h2>Stages</h2>
          <span className="muted small">In order; the last stage completes the order.</span>
        </div>
        {errors.stages && <p className="field-error">{errors.stages}</p>}
        <ol className="wf-stages">
          {d.stages.map((s, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: stages are edited in place, keys may change
            <li key={i} className="wf-stage" data-stage-editor={s.key}>
              <div className="wf-stage-head">
                <span className="wf-stage-name">
                  <span className="wf-stage-number">{i + 1}</span>
                  <strong>{s.label || 'New stage'}</strong>
                  <span className="muted small">{ROLE_NAMES[s.ownerRole]}</span>
                </span>
                <div className="wf-stage-tools">
                  <button
                    type="button"
                    className="button small"
                    disabled={i === 0}
                    onClick={() => moveStage(i, -1)}
                    aria-label={`Move stage ${i + 1} up`}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="button small"
                    disabled={i === d.stages.length - 1}
                    onClick={() => moveStage(i, 1)}
                    aria-label={`Move stage ${i + 1} down`}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="button small danger"
                    onClick={() => setD({ ...d, stages: d.stages.filter((_, j) => j !== i) })}
                    aria-label={`Remove stage ${i + 1}`}
                  >
                    Remove
                  </button>
                </div>
              </div>
              <div className="form-grid three">
                <Field label="Label" error={errors[`stages.${i}.label`]} required>
                  {(p) => <input {...p} value={s.label} onChange={(e) => setStage(i, { label: e.target.value })} />}
                </Field>
                <Field label="Key" error={errors[`stages.${i}.key`]} required>
                  {(p) => <input {...p} value={s.key} onChange={(e) => setStage(i, { key: e.target.value })} />}
                </Field>
                <Field label="Owner role" error={errors[`stages.${i}.ownerRole`]}>
                  {(p) => (
                    <select {...p} value={s.ownerRole} onChange={(e) => setStage(i, { ownerRole: e.target.value as Role })}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {ROLE_NAMES[r]}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field label="Next action" error={errors[`stages.${i}.nextAction`]} required className="span-2">
                  {(p) => <input {...p} value={s.nextAction} onChange={(e) => setStage(i, { nextAction: e.target.value })} />}
                </Field>
                <Field label="Stalled after (hours)" error={errors[`stages.${i}.stallAfterHours`]}>
                  {(p) => (
                    <input
                      {...p}
                      inputMode="decimal"
                      value={s.stallAfterHours}
                      onChange={(e) => setStage(i, { stallAfterHours: e.target.value })}
                    />
                  )}
                </Field>
                <Field label="Stall clock" error={errors[`stages.${i}.stallHoursBasis`]}>
                  {(p) => (
                    <select
                      {...p}
                      value={s.stallHoursBasis}
                      onChange={(e) => setStage(i, { stallHoursBasis: e.target.value as StageDraft['stallHoursBasis'] })}
                    >
                      <option value="">Default (working hours)</option>
                      <option value="working">Working hours</option>
                      <option value="calendar">Calendar hours</option>
                    </select>
                  )}
                </Field>
                <Field label="Customer sees" error={errors[`stages.${i}.customerLabel`]}>
                  {(p) => (
                    <input {...p} value={s.customerLabel} onChange={(e) => setStage(i, { customerLabel: e.target.value })} />
                  )}
                </Field>
                <Field label="WIP limit" error={errors[`stages.${i}.wipLimit`]}>
                  {(p) => (
                    <input
                      {...p}
                      inputMode="numeric"
                      value={s.wipLimit}
                      onChange={(e) => setStage(i, { wipLimit: e.target.value })}
                    />
                  )}
                </Field>
              </div>
              <fieldset className={`wf-requires${errors[`stages.${i}.requires`] ? ' field-invalid' : ''}`}>
                <legend>Must be filled before leaving</legend>
                {d.fields.length === 0 && <span className="muted small">No fields yet</span>}
                {d.fields.map((f) => (
                  <label key={f.key} className="check">
                    <input
                      type="checkbox"
                      checked={s.requires.includes(f.key)}
                      onChange={(e) =>
                        setStage(i, {
                          requires: e.target.checked ? [...s.requires, f.key] : s.requires.filter((r) => r !== f.key),
                        })
                      }
                    />
                    {f.label || f.key}
                  </label>
                ))}
                {errors[`stages.${i}.requires`] && <p className="field-error">{errors[`stages.${i}.requires`]}</p>}
              </fieldset>
              <div className="wf-flags">
                <label className="check">
                  <input
                    type="checkbox"
                    checked={s.notifyCustomer}
                    onChange={(e) => setStage(i, { notifyCustomer: e.target.checked })}
                  />
                  E-mail the customer on arrival
                </label>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={s.invoiceTrigger}
                    onChange={(e) => setStage(i, { invoiceTrigger: e.target.checked })}
                  />
                  Ready to invoice on arrival
                </label>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={s.rest.customerApproval === true}
                    disabled={i === d.stages.length - 1}
                    onChange={(e) => setStage(i, { rest: withApproval(s.rest, e.target.checked) })}
                    data-control="customer-approval"
                  />
                  Customer approves on the tracking page
                </label>
              </div>
              {s.rest.customerApproval === true && (
                <div className="form-grid wf-approval">
                  <label>
                    Proof link field
                    <select
                      value={String(s.rest.proofField ?? '')}
                      onChange={(e) => setStage(i, { rest: withOption(s.rest, 'proofField', e.target.value) })}
                    >
                      <option value="">None</option>
                      {d.fields
                        .filter((f) => f.type === 'url' && f.visibleTo.length === 0)
                        .map((f) => (
                          <option key={f.key} value={f.key}>
                            {f.label || f.key}
                          </option>
                        ))}
                    </select>
                  </label>
                  <label>
                    “Request changes” sends it back to
                    <select
                      value={String(s.rest.changesReturnTo ?? '')}
                      onChange={(e) => setStage(i, { rest: withOption(s.rest, 'changesReturnTo', e.target.value) })}
                    >
                      <option value="">The stage before</option>
                      {d.stages.slice(0, i).map((earlier) => (
                        <option key={earlier.key} value={earlier.key}>
                          {earlier.label || earlier.key}
                        </option>
                      ))}
                    </select>
                  </label>
                </div>
              )}
            </li>
          ))}
        </ol>
        <button
          type="button"
          className="button"
          onClick={() => setD({ ...d, stages: [...d.stages, blankStage(d.stages.length + 1)] })}
        >
          Add stage
        </button>
      </section>

      <section className="panel">
        <h2>Fields</h2>
        <table className="table wf-fields">
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Key</th>
              <th scope="col">Type</th>
              <th scope="col">Options / limits</th>
              <th scope="col">Required</th>
              <th scope="col">Visible to</th>
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {d.fields.map((f, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: fields are edited in place, keys may change
              <tr key={i} data-field-editor={f.key}>
                <td>
                  <input
                    aria-label={`Label of field ${i + 1}`}
                    value={f.label}
                    onChange={(e) => setField(i, { label: e.target.value })}
                  />
                  {errors[`fields.${i}.label`] && <p className="field-error">{errors[`fields.${i}.label`]}</p>}
                </td>
                <td>
                  <input
                    aria-label={`Key of field ${i + 1}`}
                    value={f.key}
                    onChange={(e) => setField(i, { key: e.target.value })}
                  />
                  {errors[`fields.${i}.key`] && <p className="field-error">{errors[`fields.${i}.key`]}</p>}
                </td>
                <td>
                  <select
                    aria-label={`Type of field ${i + 1}`}
                    value={f.type}
                    onChange={(e) => setField(i, { type: e.target.value as FieldType })}
                  >
                    {FIELD_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  {f.type === 'select' ? (
                    <input
                      aria-label={`Options of field ${i + 1}, separated by commas`}
                      placeholder="Option A, Option B"
                      value={f.options}
                      onChange={(e) => setField(i, { options: e.target.value })}
                    />
                  ) : f.type === 'number' || f.type === 'money' ? (
                    <span className="minmax">
                      <input
                        aria-label={`Minimum of field ${i + 1}`}
                        placeholder="min"
                        value={f.min}
                        onChange={(e) => setField(i, { min: e.target.value })}
                      />
                      <input
                        aria-label={`Maximum of field ${i + 1}`}
                        placeholder="max"
                        value={f.max}
                        onChange={(e) => setField(i, { max: e.target.value })}
                      />
                    </span>
                  ) : (
                    <span className="muted small">—</span>
                  )}
                  {(errors[`fields.${i}.options`] || errors[`fields.${i}.min`] || errors[`fields.${i}.max`]) && (
                    <p className="field-error">
                      {errors[`fields.${i}.options`] ?? errors[`fields.${i}.min`] ?? errors[`fields.${i}.max`]}
                    </p>
                  )}
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Field ${i + 1} required`}
                    checked={f.required}
                    onChange={(e) => setField(i, { required: e.target.checked })}
                  />
                </td>
                <td>
                  <details className="visible-to">
                    <summary>{f.visibleTo.length ? f.visibleTo.map((r) => ROLE_NAMES[r]).join(', ') : 'Everyone'}</summary>
                    <div className="visible-to-list">
                      {ROLES.map((r) => (
                        <label key={r} className="check">
                          <input
                            type="checkbox"
                            checked={f.visibleTo.includes(r)}
                            onChange={(e) =>
                              setField(i, {
                                visibleTo: e.target.checked ? [...f.visibleTo, r] : f.visibleTo.filter((x) => x !== r),
                              })
                            }
                          />
                          {ROLE_NAMES[r]}
                        </label>
                      ))}
                    </div>
                  </details>
                </td>
                <td>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Remove field ${i + 1}`}
                    onClick={() => setD({ ...d, fields: d.fields.filter((_, j) => j !== i) })}
                  >
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button
          type="button"
          className="button"
          onClick={() => setD({ ...d, fields: [...d.fields, blankField(d.fields.length + 1)] })}
        >
          Add field
        </button>
      </section>

      <div className="sticky-actions">
        {formError && (
          <p className="form-error" role="alert">
            {formError}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : isNew ? 'Create workflow' : 'Save as new version'}
        </button>
        <button type="button" className="button" onClick={() => setD(initial)}>
          Discard changes
        </button>
      </div>
    </form>
  );
}
