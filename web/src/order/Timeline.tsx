// The stages the order has been through: how long it spent in each, and who moved it there.
import type { Order, Workflow } from '../api/types.ts';
import { stageLabel } from '../board/moves.tsx';
import { duration, timestamp } from '../ui/format.ts';

export function Timeline({ order, wf, now }: { order: Order; wf: Workflow | undefined; now: number }) {
  const visits = order.stageHistory.map((v) => ({
    ...v,
    ms: (v.exitedAt ? new Date(v.exitedAt).getTime() : now) - new Date(v.enteredAt).getTime(),
  }));
  const longest = Math.max(1, ...visits.map((v) => v.ms));
  return (
    <ol className="timeline" data-timeline>
      {visits.map((v, i) => {
        const current = !v.exitedAt && (order.state === 'active' || order.state === 'on_hold');
        return (
          <li key={`${v.stage}-${v.enteredAt}`} className={current ? 'timeline-item current' : 'timeline-item'}>
            <div className="timeline-head">
              <span className="timeline-stage">{stageLabel(wf, v.stage)}</span>
              <span className="timeline-duration">{v.exitedAt || current ? duration(v.ms) : ''}</span>
            </div>
            <div className="timeline-bar" aria-hidden="true">
              <span style={{ width: `${Math.max(2, (v.ms / longest) * 100)}%` }} />
            </div>
            <div className="timeline-meta muted">
              {i === 0 ? 'Created' : 'Moved here'} by {v.by.name} · {timestamp(v.enteredAt)}
              {current && ' · here now'}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
