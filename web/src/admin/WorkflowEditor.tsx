// The workflow editor: the workflow's name and number prefix, its stages as a list to reorder by dragging with
// one panel for the stage being edited, and its fields. Checked here as the API checks it; the API's answer
// shows beside the input it is about. Saving makes a new version.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, post, put } from '../api/client.ts';
import { keys, useWorkflows } from '../api/queries.ts';
import type { Workflow } from '../api/types.ts';
import { Field, FormError } from '../ui/Field.tsx';
import { notify } from '../ui/notices.tsx';
import {
  blankField,
  blankStage,
  check,
  type Draft,
  type FieldDraft,
  fromApiPaths,
  moved,
  newWorkflow,
  type Problems,
  problemsOf,
  relabelField,
  relabelStage,
  type StageDraft,
  toDraft,
  toInput,
} from './workflow/draft.ts';
import { FieldTable } from './workflow/FieldTable.tsx';
import { StageList } from './workflow/StageList.tsx';
import { StagePanel } from './workflow/StagePanel.tsx';
import '../styles/workflow-editor.css';

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
        <WorkflowForm key="new" initial={newWorkflow()} isNew onSaved={(wf) => setSelected(wf.key)} />
      ) : (
        current && (
          <WorkflowForm key={`${current.key}-${current.version}`} initial={toDraft(current)} isNew={false} onSaved={() => {}} />
        )
      )}
    </div>
  );
}

/** A field's key changed (or the field went): the stages that required it follow. */
function renameRequirement(stages: StageDraft[], from: string, to: string | null): StageDraft[] {
  return stages.map((s) =>
    s.requires.includes(from)
      ? { ...s, requires: to === null ? s.requires.filter((r) => r !== from) : s.requires.map((r) => (r === from ? to : r)) }
      : s,
  );
}

function WorkflowForm({ initial, isNew, onSaved }: { initial: Draft; isNew: boolean; onSaved: (wf: Workflow) => void }) {
  const qc = useQueryClient();
  const [d, setD] = useState<Draft>(initial);
  const [open, setOpen] = useState<string | null>(initial.stages[0]?.id ?? null);
  const [problems, setProblems] = useState<Problems>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const setStage = (id: string, change: Partial<StageDraft>) =>
    setD((x) => ({ ...x, stages: x.stages.map((s) => (s.id === id ? { ...s, ...change } : s)) }));
  const insertStage = (at: number) => {
    const stage = blankStage(d.stages.map((s) => s.key));
    setD((x) => ({ ...x, stages: [...x.stages.slice(0, at), stage, ...x.stages.slice(at)] }));
    setOpen(stage.id);
  };
  const removeStage = (id: string) => {
    const i = d.stages.findIndex((s) => s.id === id);
    const stages = d.stages.filter((s) => s.id !== id);
    setD({ ...d, stages });
    setOpen(stages[Math.min(i, stages.length - 1)]?.id ?? null);
  };
  /** A field's change, carrying a changed key into the stages that require it. */
  const changeFields = (next: FieldDraft[]) =>
    setD((x) => {
      let stages = x.stages;
      for (const before of x.fields) {
        const after = next.find((f) => f.id === before.id);
        if (!after) stages = renameRequirement(stages, before.key, null);
        else if (after.key !== before.key) stages = renameRequirement(stages, before.key, after.key);
      }
      return { ...x, fields: next, stages };
    });

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const found = check(d, isNew);
    setProblems(found);
    const stageWithProblem = d.stages.find((s) => Object.keys(problemsOf(found, 'stage', s.id)).length);
    if (stageWithProblem) setOpen(stageWithProblem.id);
    setFormError(Object.keys(found).length ? 'Some entries need attention: they are marked below.' : null);
    if (Object.keys(found).length) return;
    setBusy(true);
    const sent = d;
    try {
      const input = toInput(sent);
      const saved = isNew ? await post<Workflow>('/workflows', input) : await put<Workflow>(`/workflows/${sent.key}`, input);
      await qc.invalidateQueries({ queryKey: keys.workflows });
      void qc.invalidateQueries({ queryKey: ['board'] });
      notify('success', `${saved.name} saved`, `Version ${saved.version}.`);
      onSaved(saved);
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      // The API is the judge: its problems show beside the inputs they are about, on the stage they name.
      const fromApi = fromApiPaths(sent, err.errors);
      setProblems(fromApi);
      const stage = sent.stages.find((s) => Object.keys(problemsOf(fromApi, 'stage', s.id)).length);
      if (stage) setOpen(stage.id);
      setFormError(err.detail);
    } finally {
      setBusy(false);
    }
  };

  const openIndex = d.stages.findIndex((s) => s.id === open);
  const openStage = d.stages[openIndex];
  const stagesWithProblems = new Set(
    d.stages.filter((s) => Object.keys(problemsOf(problems, 'stage', s.id)).length).map((s) => s.id),
  );
  const prefix = d.orderPrefix.trim();

  return (
    <form onSubmit={save} noValidate className="wf-form" data-form="workflow">
      <section className="panel">
        <h2>{isNew ? 'New workflow' : d.name}</h2>
        <div className="form-grid three">
          <Field label="Key" error={problems.key} hint={isNew ? 'Used in the API, e.g. screen-print' : 'Cannot change'} required>
            {(p) => <input {...p} value={d.key} disabled={!isNew} onChange={(e) => setD({ ...d, key: e.target.value })} />}
          </Field>
          <Field label="Name" error={problems.name} required>
            {(p) => <input {...p} value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} />}
          </Field>
          <Field
            label="Order number prefix"
            error={problems.orderPrefix}
            hint={prefix ? `Orders are numbered ${prefix}-1001, ${prefix}-1002, …` : 'Capital letters or digits, e.g. ORD'}
            required
          >
            {(p) => (
              <input
                {...p}
                value={d.orderPrefix}
                onChange={(e) => setD({ ...d, orderPrefix: e.target.value.toUpperCase() })}
                data-control="order-prefix"
              />
            )}
          </Field>
        </div>
      </section>

      <section className="panel">
        <div className="panel-header">
          <h2>Stages</h2>
          <span className="muted small">Drag to reorder; the last stage completes the order.</span>
        </div>
        {problems.stages && <p className="field-error">{problems.stages}</p>}
        <div className="wf-stages-layout">
          <StageList
            stages={d.stages}
            selected={open}
            problems={stagesWithProblems}
            onSelect={setOpen}
            onMove={(from, to) => setD((x) => ({ ...x, stages: moved(x.stages, from, to) }))}
            onInsert={insertStage}
          />
          {openStage ? (
            <StagePanel
              key={openStage.id}
              stage={openStage}
              place={openIndex + 1}
              earlier={d.stages.slice(0, openIndex)}
              last={openIndex === d.stages.length - 1}
              fields={d.fields}
              errors={problemsOf(problems, 'stage', openStage.id)}
              onChange={(change) => setStage(openStage.id, change)}
              onLabel={(label) => setD((x) => ({ ...x, stages: relabelStage(x.stages, openStage.id, label) }))}
              onKey={(key) => setStage(openStage.id, { key, keyTyped: true })}
              onRemove={() => removeStage(openStage.id)}
            />
          ) : (
            <p className="muted">Pick a stage to edit it.</p>
          )}
        </div>
      </section>

      <FieldTable
        fields={d.fields}
        problems={problems}
        onChange={(id, change) => changeFields(d.fields.map((f) => (f.id === id ? { ...f, ...change } : f)))}
        onLabel={(id, label) => changeFields(relabelField(d.fields, id, label))}
        onKey={(id, key) => changeFields(d.fields.map((f) => (f.id === id ? { ...f, key, keyTyped: true } : f)))}
        onRemove={(id) => changeFields(d.fields.filter((f) => f.id !== id))}
        onAdd={() => changeFields([...d.fields, blankField(d.fields.map((f) => f.key))])}
      />

      <div className="sticky-actions">
        <FormError message={formError} />
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : isNew ? 'Create workflow' : 'Save as new version'}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            setD(initial);
            setProblems({});
            setFormError(null);
          }}
        >
          Discard changes
        </button>
      </div>
    </form>
  );
}
