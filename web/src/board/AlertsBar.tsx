// The alerts a manager acts on, above the board: escalated and overdue orders first, each a link to the order.
import { useAlerts } from '../api/queries.ts';
import type { Alert } from '../api/types.ts';
import { Link } from '../app/router.tsx';
import { ROLE_NAMES } from '../auth/roles.ts';
import { FLAG_NAMES } from '../ui/badges.tsx';
import { ago } from '../ui/format.ts';
import { useNow } from '../ui/now.ts';
import { orderPath } from './OrderCard.tsx';

/** Most urgent first: escalations, then missed and threatened deadlines, then stalls. */
const URGENCY: Record<Alert['kind'], number> = { escalated: 0, overdue: 1, 'at-risk': 2, stalled: 3 };
const SHOWN = 6;

export function AlertsBar({ workflow }: { workflow: string | undefined }) {
  const alerts = useAlerts();
  const now = useNow();
  const all = (alerts.data?.items ?? []).filter((a) => !workflow || a.workflow === workflow);
  // An escalated order is also stalled: show it once, as escalated.
  const escalated = new Set(all.filter((a) => a.kind === 'escalated').map((a) => a.orderId));
  const list = all
    .filter((a) => a.kind !== 'stalled' || !escalated.has(a.orderId))
    .sort((a, b) => URGENCY[a.kind] - URGENCY[b.kind] || a.since.localeCompare(b.since));
  if (!alerts.data || list.length === 0) return null;
  return (
    <section className="alerts-bar" aria-label="Alerts" data-alerts={list.length}>
      <h2 className="alerts-title">
        {list.length} {list.length === 1 ? 'alert' : 'alerts'}
      </h2>
      <ul className="alerts-list">
        {list.slice(0, SHOWN).map((a) => (
          <li key={`${a.orderId}-${a.kind}`} className={`alert alert-${a.kind}`} data-alert={a.kind} data-order={a.number}>
            <span className={`badge flag flag-${a.kind}`}>{FLAG_NAMES[a.kind]}</span>{' '}
            <Link to={orderPath(a.number)}>{a.number}</Link> in {a.stageLabel}
            {a.ownerRole && <span className="muted"> · {ROLE_NAMES[a.ownerRole]}</span>}
            <span className="muted"> · {ago(a.since, now)}</span>
          </li>
        ))}
        {list.length > SHOWN && <li className="muted">and {list.length - SHOWN} more</li>}
      </ul>
    </section>
  );
}
