// The order's files: artwork, proofs and photos, each for the shop alone or also for the customer's tracking page.
// Drop files on the panel or pick them; pictures show as thumbnails. The API decides who may do what; the panel
// offers only what will work.
import { useQueryClient } from '@tanstack/react-query';
import { type DragEvent, useId, useState } from 'react';
import { ApiProblem } from '../api/client.ts';
import { keys } from '../api/queries.ts';
import type { Order } from '../api/types.ts';
import { mayComment, mayEditOrders } from '../auth/roles.ts';
import { useUser } from '../auth/session.tsx';
import { ago } from '../ui/format.ts';
import { notify } from '../ui/notices.tsx';
import {
  ACCEPT,
  type FileKind,
  filesKey,
  KIND_NAMES,
  type OrderFile,
  removeFile,
  setFileVisibility,
  sizeText,
  uploadFile,
  useOrderFiles,
} from './files-api.ts';

export function FilesPanel({ order, approvalStage }: { order: Order; approvalStage: boolean }) {
  const user = useUser();
  const qc = useQueryClient();
  const files = useOrderFiles(order.id);
  const inputId = useId();
  // Until someone picks a kind, it follows the order: a proof while it waits for the customer's approval.
  const [chosenKind, setKind] = useState<FileKind | null>(null);
  const kind = chosenKind ?? (approvalStage ? 'proof' : 'artwork');
  const [forCustomer, setForCustomer] = useState(false);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mayAttach = mayComment(user.role);
  const editor = mayEditOrders(user.role);
  const limit = files.data?.limit;

  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: filesKey(order.id) });
    await qc.invalidateQueries({ queryKey: keys.events(order.id) });
  };

  const send = async (picked: File[]) => {
    if (!picked.length) return;
    setBusy(true);
    setError(null);
    try {
      for (const file of picked) {
        await uploadFile(order.id, file, kind, editor && forCustomer ? 'customer' : 'internal');
      }
      notify('success', picked.length === 1 ? `${picked[0]!.name} attached` : `${picked.length} files attached`);
    } catch (err) {
      setError(err instanceof ApiProblem ? err.detail : 'The file could not be attached');
    } finally {
      setBusy(false);
      await refresh();
    }
  };

  const act = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      notify('success', done);
    } catch (err) {
      notify('error', err instanceof ApiProblem ? err.detail : 'That did not work; try again.');
    } finally {
      await refresh();
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (mayAttach && !busy) void send([...e.dataTransfer.files]);
  };

  const items = files.data?.items ?? [];
  return (
    <section
      className={`panel files-panel${over ? ' files-over' : ''}`}
      aria-labelledby="files-title"
      data-files-panel
      onDragOver={(e) => {
        if (!mayAttach) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <h2 id="files-title">Files</h2>
      {files.isPending && <p className="muted">Loading files…</p>}
      {files.isSuccess && items.length === 0 && <p className="muted">No files yet.</p>}
      {items.length > 0 && (
        <ul className="files" data-files>
          {items.map((f) => (
            <FileRow
              key={f.id}
              file={f}
              mayShow={editor}
              mayRemove={editor || (f.uploadedBy.id !== null && f.uploadedBy.id === user.id)}
              onVisibility={(v) =>
                act(
                  () => setFileVisibility(order.id, f.id, v),
                  v === 'customer' ? `${f.name} is shown to the customer` : `${f.name} is for the shop only`,
                )
              }
              onRemove={() => {
                if (!window.confirm(`Remove ${f.name}? Its history stays.`)) return;
                void act(() => removeFile(order.id, f.id), `${f.name} removed`);
              }}
            />
          ))}
        </ul>
      )}
      {mayAttach && (
        <div className="files-upload" data-files-upload>
          <div className="files-options">
            <label className="field">
              <span className="field-label">Kind</span>
              <select name="file-kind" value={kind} onChange={(e) => setKind(e.target.value as FileKind)}>
                {Object.entries(KIND_NAMES).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            {editor && (
              <label className="files-customer">
                <input
                  type="checkbox"
                  name="file-for-customer"
                  checked={forCustomer}
                  onChange={(e) => setForCustomer(e.target.checked)}
                />{' '}
                Show to the customer on the tracking page
              </label>
            )}
          </div>
          <input
            id={inputId}
            className="sr-only"
            type="file"
            name="file"
            multiple
            accept={ACCEPT}
            disabled={busy}
            onChange={(e) => {
              const picked = [...(e.target.files ?? [])];
              e.target.value = '';
              void send(picked);
            }}
          />
          <label htmlFor={inputId} className={`files-drop${busy ? ' busy' : ''}`}>
            {busy ? 'Uploading…' : 'Drop files here, or choose files'}
            <span className="muted small">PNG, JPEG, WebP, GIF or PDF{limit ? `, up to ${sizeText(limit)} each` : ''}</span>
          </label>
          {error && (
            <p className="field-error" role="alert" data-files-error>
              {error}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

function FileRow({
  file,
  mayShow,
  mayRemove,
  onVisibility,
  onRemove,
}: {
  file: OrderFile;
  mayShow: boolean;
  mayRemove: boolean;
  onVisibility: (v: 'internal' | 'customer') => void;
  onRemove: () => void;
}) {
  const image = file.type.startsWith('image/');
  const customer = file.visibility === 'customer';
  return (
    <li className="file" data-file={file.id} data-kind={file.kind} data-visibility={file.visibility}>
      <a className="file-thumb" href={`${file.url}?disposition=inline`} target="_blank" rel="noopener noreferrer">
        {image ? (
          <img src={`${file.url}?disposition=inline`} alt="" loading="lazy" />
        ) : (
          <span className="file-type" aria-hidden="true">
            PDF
          </span>
        )}
      </a>
      <div className="file-about">
        <a className="file-name" href={file.url} download={file.name}>
          {file.name}
        </a>
        <div className="file-meta small">
          <span className="badge file-kind">{KIND_NAMES[file.kind]}</span>{' '}
          <span className={`badge ${customer ? 'tag-customer file-customer' : 'file-internal'}`}>
            {customer ? 'Customer sees it' : 'Internal'}
          </span>{' '}
          <span className="muted">
            {sizeText(file.size)} · {file.uploadedBy.name}, {ago(file.uploadedAt)}
          </span>
        </div>
      </div>
      <div className="file-actions">
        {mayShow && (
          <button
            type="button"
            className="button ghost small"
            data-action="toggle-file-visibility"
            onClick={() => onVisibility(customer ? 'internal' : 'customer')}
          >
            {customer ? 'Hide from customer' : 'Show to customer'}
          </button>
        )}
        {mayRemove && (
          <button type="button" className="button ghost small" data-action="remove-file" onClick={onRemove}>
            Remove
          </button>
        )}
      </div>
    </li>
  );
}
