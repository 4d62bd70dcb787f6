// The order's full audit history, oldest first: who did what and when, with before-and-after for every edit.
import type { FieldDef, OrderEvent, Workflow } from '../api/types.ts';
import { stageLabel } from '../board/moves.tsx';
import { calendarDate, timestamp } from '../ui/format.ts';

interface Change {
  field: string;
  before: unknown;
  after: unknown;
}

const DETAIL_NAMES: Record<string, string> = {
  title: 'Title',
  customer: 'Customer',
  dueDate: 'Due date',
  priority: 'Priority',
  items: 'Items',
};

function show(value: unknown, def?: FieldDef): string {
  if (value === null || value === undefined || value === '') return 'empty';
  if (def?.type === 'checkbox' || typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) {
    return value
      .map((i) =>
        typeof i === 'object' && i
          ? `${(i as { quantity?: number }).quantity ?? ''} × ${(i as { description?: string }).description ?? ''}`
          : String(i),
      )
      .join('; ');
  }
  if (typeof value === 'object') {
    const c = value as { name?: string; email?: string | null };
    if ('name' in c) return c.email ? `${c.name} <${c.email}>` : String(c.name);
    return JSON.stringify(value);
  }
  return String(value);
}

const day = (value: unknown) => (typeof value === 'string' && value ? calendarDate(value) : 'unknown');
const hours = (value: unknown, basis: unknown) => `${String(value)} ${basis === 'working' ? 'working ' : ''}hours`;

/**
 * What Floorboard itself noticed (flags and reminders), said as a whole sentence: "Flagged at risk: expected
 * Wed 23 Dec, due Sat 19 Dec", never the actor's name followed by the event's code.
 */
function noticed(e: OrderEvent, wf: Workflow | undefined): string | null {
  const d = e.data;
  switch (e.type) {
    case 'order.at_risk':
      return `Flagged at risk: expected ${day(d.expectedBy)}, due ${day(d.dueDate)}`;
    case 'order.overdue':
      return `Flagged overdue: it was due ${day(d.dueDate)}`;
    case 'order.stalled':
      return `Flagged stalled: nothing moved in ${stageLabel(wf, String(d.stage ?? ''))} for ${hours(d.afterHours, d.basis)}`;
    case 'order.escalated':
      return `Escalated to managers: stuck in ${stageLabel(wf, String(d.stage ?? ''))} for ${hours(d.afterHours, d.basis)}, twice the limit`;
    case 'order.due_soon':
      return `Reminder sent: due ${day(d.dueDate)}`;
    case 'order.ready_to_invoice':
      return `Ready to invoice: it reached ${stageLabel(wf, String(d.stage ?? ''))}`;
    default:
      return null;
  }
}

function describe(e: OrderEvent, wf: Workflow | undefined) {
  const d = e.data;
  switch (e.type) {
    case 'order.invoiced':
      return <>marked it invoiced{typeof d.reference === 'string' && d.reference ? ` (${d.reference})` : ''}</>;
    case 'order.customer_updates_changed':
      return <>{d.email ? 'switched the customer’s e-mail updates on' : 'switched the customer’s e-mail updates off'}</>;
    case 'order.created':
      return <>created the order in {stageLabel(wf, String(d.stage ?? ''))}</>;
    case 'order.stage_changed':
      return (
        <>
          moved it from <strong>{stageLabel(wf, String(d.from))}</strong> to <strong>{stageLabel(wf, String(d.to))}</strong>
          {d.kind === 'rework' && <span className="badge tag-rework">Rework</span>}
          {d.override === true && <span className="badge tag-override">Override</span>}
        </>
      );
    case 'order.updated':
      return <>changed the order</>;
    case 'order.held':
      return <>put it on hold</>;
    case 'order.resumed':
      return <>resumed it</>;
    case 'order.cancelled':
      return <>cancelled it</>;
    case 'order.completed':
      return <>completed it</>;
    case 'comment.added':
      return d.problem === true ? (
        <>
          reported a problem in <strong>{stageLabel(wf, String(d.stage ?? ''))}</strong>
        </>
      ) : (
        <>commented</>
      );
    case 'order.customer_approved':
      return <>approved the proof on the tracking page</>;
    case 'order.changes_requested':
      return <>asked for changes on the tracking page</>;
    case 'file.attached':
      return (
        <>
          attached <strong>{String(d.name ?? 'a file')}</strong>
          {d.visibility === 'customer' && <span className="badge tag-customer">Customer sees it</span>}
        </>
      );
    case 'file.visibility_changed':
      return d.to === 'customer' ? (
        <>
          showed <strong>{String(d.name ?? 'a file')}</strong> to the customer
        </>
      ) : (
        <>
          took <strong>{String(d.name ?? 'a file')}</strong> back from the customer
        </>
      );
    case 'file.removed':
      return (
        <>
          removed <strong>{String(d.name ?? 'a file')}</strong>
        </>
      );
    case 'file.downloaded':
      return (
        <>
          {d.via === 'tracking' ? 'viewed' : 'downloaded'} <strong>{String(d.name ?? 'a file')}</strong>
          {d.via === 'tracking' && ' on the tracking page'}
        </>
      );
    case 'order.customer_merged':
      return <>merged the customer’s record into another record of the same customer</>;
    case 'order.tracking_changed':
      return d.change === 'rotated' ? (
        <>made a new tracking link (the old one stopped working)</>
      ) : d.change === 'disabled' ? (
        <>switched the tracking link off</>
      ) : (
        <>switched the tracking link on</>
      );
    default:
      return <>{e.type.replace(/^order\./, '').replace(/_/g, ' ')}</>;
  }
}

export function History({ events, wf }: { events: OrderEvent[] | undefined; wf: Workflow | undefined }) {
  if (!events) return <p className="muted">Loading history…</p>;
  const fieldDef = (key: string) => wf?.fields.find((f) => `fields.${f.key}` === key);
  return (
    <ol className="history" data-history>
      {events.map((e) => {
        const reason = typeof e.data.reason === 'string' ? e.data.reason : null;
        const sentence = e.actor.kind === 'system' ? noticed(e, wf) : null;
        const changes = e.type === 'order.updated' && Array.isArray(e.data.changes) ? (e.data.changes as Change[]) : [];
        return (
          <li key={e.seq} className={`history-item history-${e.type.replace('.', '-')}`} data-event={e.type}>
            <div className="history-line">
              {sentence ?? (
                <>
                  <span className="history-who">{e.actor.name}</span>
                  {e.actor.kind === 'customer' && <span className="badge tag-customer">Customer</span>} {describe(e, wf)}
                </>
              )}
              <time className="history-when" dateTime={e.at}>
                {timestamp(e.at)}
              </time>
            </div>
            {reason && <blockquote className="history-reason">{reason}</blockquote>}
            {e.type === 'comment.added' && <blockquote className="history-comment">{String(e.data.body ?? '')}</blockquote>}
            {changes.length > 0 && (
              <ul className="diff">
                {changes.map((c) => {
                  const def = fieldDef(c.field);
                  return (
                    <li key={c.field}>
                      <span className="diff-field">{def?.label ?? DETAIL_NAMES[c.field] ?? c.field}</span>{' '}
                      <del>{show(c.before, def)}</del> <span aria-hidden="true">→</span>
                      <span className="sr-only">changed to</span> <ins>{show(c.after, def)}</ins>
                    </li>
                  );
                })}
              </ul>
            )}
          </li>
        );
      })}
    </ol>
  );
}
