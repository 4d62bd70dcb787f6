// Small labels for priority, flags and roles, the same everywhere they appear.
import type { Flag, OrderState, Priority, Role } from '../api/types.ts';
import { ROLE_NAMES } from '../auth/roles.ts';

export const FLAG_NAMES: Record<Flag, string> = {
  'on-hold': 'On hold',
  stalled: 'Stalled',
  escalated: 'Escalated',
  'at-risk': 'At risk',
  overdue: 'Overdue',
};

export const PRIORITY_NAMES: Record<Priority, string> = { rush: 'Rush', high: 'High', normal: 'Normal', low: 'Low' };

export function PriorityBadge({ priority, quiet }: { priority: Priority; quiet?: boolean }) {
  if (quiet && priority === 'normal') return null;
  return (
    <span className={`badge priority priority-${priority}`} data-priority={priority}>
      {PRIORITY_NAMES[priority]}
    </span>
  );
}

export function FlagBadges({ flags }: { flags: Flag[] }) {
  if (flags.length === 0) return null;
  // Escalated says more than stalled: show one of them.
  const shown = flags.includes('escalated') ? flags.filter((f) => f !== 'stalled') : flags;
  return (
    <span className="flags">
      {shown.map((f) => (
        <span key={f} className={`badge flag flag-${f}`} data-flag={f}>
          {FLAG_NAMES[f]}
        </span>
      ))}
    </span>
  );
}

export function RoleBadge({ role }: { role: Role }) {
  return <span className={`badge role role-${role}`}>{ROLE_NAMES[role]}</span>;
}

const STATE_NAMES: Record<OrderState, string> = {
  active: 'Active',
  on_hold: 'On hold',
  cancelled: 'Cancelled',
  completed: 'Completed',
};

export function StateBadge({ state }: { state: OrderState }) {
  return <span className={`badge state state-${state}`}>{STATE_NAMES[state]}</span>;
}
