// Import (admins, managers): upload a spreadsheet, event log or Trello board; check the mapping, the status values,
// the row errors and a preview; import with a progress bar; then see the summary with links, or undo it.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem } from '../api/client.ts';
import { useWorkflows } from '../api/queries.ts';
import type { Workflow } from '../api/types.ts';
import { Link } from '../app/router.tsx';
import { mayOverride } from '../auth/roles.ts';
import { useUser } from '../auth/session.tsx';
import { notify } from '../ui/notices.tsx';
import { useTitle } from '../ui/title.ts';
import { ImportCounts, IssueTable, PreviewCards } from './ImportPreview.tsx';
import {
  type ImportMapping,
  type ImportSource,
  type ImportSummary,
  SOURCES,
  sourceOf,
  type UndoResult,
  undoImport,
  uploadImport,
} from './import-api.ts';
import { MappingForm } from './MappingForm.tsx';

type Progress = { phase: 'upload'; sent: number } | { phase: 'reading' } | null;

export function ImportPage() {
  const user = useUser();
  useTitle('Import');
  const workflows = useWorkflows();
  if (!mayOverride(user.role)) {
    return (
      <main className="page" id="main">
        <h1>Import</h1>
        <p>Only admins and managers may import orders.</p>
      </main>
    );
  }
  if (!workflows.data) return <main className="page muted">Loading…</main>;
  return <Importer workflows={workflows.data} />;
}

function Importer({ workflows }: { workflows: Workflow[] }) {
  const qc = useQueryClient();
  const [workflowKey, setWorkflowKey] = useState(workflows[0]?.key ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [source, setSource] = useState<ImportSource>('csv');
  const [mapping, setMapping] = useState<ImportMapping | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [done, setDone] = useState<ImportSummary | null>(null);
  const [undone, setUndone] = useState<UndoResult | null>(null);
  const [progress, setProgress] = useState<Progress>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const wf = workflows.find((w) => w.key === workflowKey);

  const run = async (dryRun: boolean, withMapping: ImportMapping | null): Promise<ImportSummary | null> => {
    if (!file) return null;
    setProblem(null);
    setProgress({ phase: 'upload', sent: 0 });
    try {
      return await uploadImport(
        file,
        { workflow: workflowKey, source, dryRun, ...(withMapping ? { mapping: withMapping } : {}) },
        (sent) => setProgress(sent < 1 ? { phase: 'upload', sent } : { phase: 'reading' }),
      );
    } catch (err) {
      setProblem(err instanceof ApiProblem ? err.detail : String(err));
      return null;
    } finally {
      setProgress(null);
    }
  };

  const check = async (withMapping: ImportMapping | null) => {
    const s = await run(true, withMapping);
    if (!s) return;
    setSummary(s);
    setMapping(s.proposedMapping);
    setStale(false);
  };

  const read = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    setUndone(null);
    await check(null);
  };

  const confirm = async () => {
    const s = await run(false, mapping);
    if (!s) return;
    if (s.errors.length) {
      setSummary(s);
      return;
    }
    setDone(s);
    setSummary(null);
    void qc.invalidateQueries();
    notify('success', `Imported ${s.fileName ?? 'the file'}`, `${s.orders.created} new orders, ${s.orders.updated} updated.`);
  };

  const undo = async () => {
    if (!done?.id) return;
    try {
      const r = await undoImport(done.id, `Undone from the Import page: ${done.fileName ?? 'the file'}`);
      setUndone(r);
      void qc.invalidateQueries();
      notify('success', 'Import undone', `${r.cancelled.length} orders cancelled.`);
    } catch (err) {
      notify('error', 'The import was not undone', err instanceof ApiProblem ? err.detail : undefined);
    }
  };

  const reset = () => {
    setSummary(null);
    setMapping(null);
    setDone(null);
    setUndone(null);
    setProblem(null);
  };

  return (
    <main className="page import-page" id="main">
      <h1>Import orders</h1>
      <p className="muted">
        Bring in the orders you track today, with their history: a spreadsheet (CSV or Excel) with one row per order, an event log
        with one row per stage an order entered, or a Trello board exported as JSON. Nothing is written until you confirm.
      </p>
      <form className="panel import-upload" onSubmit={read} data-form="import-upload">
        <div className="form-grid three">
          <label className="field">
            <span className="field-label">Workflow</span>
            <select
              name="workflow"
              value={workflowKey}
              onChange={(e) => {
                setWorkflowKey(e.target.value);
                reset();
              }}
            >
              {workflows.map((w) => (
                <option key={w.key} value={w.key}>
                  {w.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">File</span>
            <input
              type="file"
              name="file"
              accept=".csv,.tsv,.txt,.xlsx,.json"
              onChange={(e) => {
                const f = e.target.files?.[0] ?? null;
                setFile(f);
                if (f) setSource(sourceOf(f.name));
                reset();
              }}
            />
          </label>
          <label className="field">
            <span className="field-label">What it is</span>
            <select
              name="source"
              value={source}
              onChange={(e) => {
                setSource(e.target.value as ImportSource);
                reset();
              }}
            >
              {SOURCES.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <button type="submit" className="button primary" disabled={!file || progress !== null} data-action="read-file">
          Read the file
        </button>
      </form>

      {progress && <ProgressBar progress={progress} />}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}

      {summary && mapping && wf && (
        <>
          <MappingForm
            source={source}
            wf={wf}
            summary={summary}
            mapping={mapping}
            onChange={(m) => {
              setMapping(m);
              setStale(true);
            }}
          />
          <section className="panel" aria-labelledby="check-title" data-import-check>
            <h2 id="check-title">{summary.errors.length ? 'Problems to fix' : 'Ready to import'}</h2>
            <ImportCounts summary={summary} />
            {summary.errors.length > 0 && (
              <>
                <p className="form-error" role="alert">
                  {summary.errorCount ?? summary.errors.length} {summary.errors.length === 1 ? 'problem' : 'problems'}: nothing
                  will be imported until each is fixed, in the file or in the mapping above.
                </p>
                <IssueTable issues={summary.errors} kind="errors" />
              </>
            )}
            {summary.warnings.length > 0 && (
              <details>
                <summary>{summary.warnings.length} warnings (they do not stop the import)</summary>
                <IssueTable issues={summary.warnings} kind="warnings" />
              </details>
            )}
            <div className="button-row">
              <button
                type="button"
                className="button"
                disabled={progress !== null}
                onClick={() => void check(mapping)}
                data-action="check-again"
              >
                Check again
              </button>
              <button
                type="button"
                className="button primary"
                disabled={stale || summary.errors.length > 0 || progress !== null}
                onClick={() => void confirm()}
                data-action="confirm-import"
                title={stale ? 'Check the changed mapping first' : undefined}
              >
                Import {summary.orders.created + summary.orders.updated} orders
              </button>
            </div>
          </section>
          <PreviewCards summary={summary} wf={wf} />
        </>
      )}

      {done && wf && <ImportDone summary={done} wf={wf} undone={undone} onUndo={() => void undo()} />}
    </main>
  );
}

function ProgressBar({ progress }: { progress: NonNullable<Progress> }) {
  const pct = progress.phase === 'upload' ? Math.round(progress.sent * 100) : null;
  return (
    <div className="import-progress" role="status" data-import-progress>
      <span>{pct === null ? 'Reading and checking every row…' : `Uploading… ${pct}%`}</span>
      <progress max={100} {...(pct === null ? {} : { value: pct })} />
    </div>
  );
}

function ImportDone({
  summary,
  wf,
  undone,
  onUndo,
}: {
  summary: ImportSummary;
  wf: Workflow;
  undone: UndoResult | null;
  onUndo: () => void;
}) {
  const numbers = summary.preview.map((o) => o.number).filter((n): n is string => Boolean(n));
  return (
    <section className="panel" aria-labelledby="done-title" data-import-done={summary.id ?? ''}>
      <h2 id="done-title">Imported {summary.fileName}</h2>
      <ImportCounts summary={summary} />
      <p>
        <Link to={`/board?workflow=${encodeURIComponent(wf.key)}`} className="button primary" data-action="open-board">
          See them on the board
        </Link>{' '}
        <Link to={`/reports?workflow=${encodeURIComponent(wf.key)}`} className="button">
          Reports on their history
        </Link>
      </p>
      {numbers.length > 0 && (
        <p className="small">
          Orders:{' '}
          {numbers.map((n, i) => (
            <span key={n}>
              {i > 0 && ', '}
              <Link to={`/orders/${n}`}>{n}</Link>
            </span>
          ))}
          {summary.orders.created + summary.orders.updated > numbers.length && ' …'}
        </p>
      )}
      {undone ? (
        <p data-import-undone>
          Undone: {undone.cancelled.length} orders cancelled
          {undone.kept.length > 0 && `; ${undone.kept.length} kept because someone changed them since`}.
        </p>
      ) : (
        summary.id && (
          <button type="button" className="button" onClick={onUndo} data-action="undo-import">
            Undo this import
          </button>
        )
      )}
    </section>
  );
}
