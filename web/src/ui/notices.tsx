// Notices: short messages in a corner (a move refused, a card someone else moved), read out by screen readers.
import { useSyncExternalStore } from 'react';

export type Tone = 'error' | 'warning' | 'info' | 'success';

export interface Notice {
  id: number;
  tone: Tone;
  title: string;
  text?: string | undefined;
}

let notices: Notice[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of listeners) l();
};

export function dismiss(id: number): void {
  notices = notices.filter((n) => n.id !== id);
  emit();
}

/** Shows a notice; errors stay longer, since they explain why something did not happen. */
export function notify(tone: Tone, title: string, text?: string): void {
  const id = nextId++;
  notices = [...notices.slice(-3), { id, tone, title, text }];
  emit();
  setTimeout(() => dismiss(id), tone === 'error' || tone === 'warning' ? 10_000 : 4_000);
}

export function Notices() {
  const list = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => notices,
  );
  return (
    <div className="notices">
      {/* Two live regions: refusals interrupt, confirmations wait their turn. */}
      <div role="alert" aria-live="assertive" className="notices-stack">
        {list
          .filter((n) => n.tone === 'error' || n.tone === 'warning')
          .map((n) => (
            <NoticeView key={n.id} notice={n} />
          ))}
      </div>
      <div role="status" aria-live="polite" className="notices-stack">
        {list
          .filter((n) => n.tone === 'info' || n.tone === 'success')
          .map((n) => (
            <NoticeView key={n.id} notice={n} />
          ))}
      </div>
    </div>
  );
}

function NoticeView({ notice }: { notice: Notice }) {
  return (
    <div className={`notice notice-${notice.tone}`} data-notice={notice.tone}>
      <div className="notice-body">
        <strong>{notice.title}</strong>
        {notice.text && <p>{notice.text}</p>}
      </div>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(notice.id)}>
        ×
      </button>
    </div>
  );
}
