// Why a move, hold or report from the station view was refused, in the plain words a person at a bench needs.
import { ApiProblem } from '../api/client.ts';
import type { Order, Workflow } from '../api/types.ts';
import { ROLE_NAMES } from '../auth/roles.ts';

const STATE_WORDS: Record<string, string> = {
  on_hold: 'on hold',
  cancelled: 'cancelled',
  completed: 'already completed',
  active: 'active',
};

/** The refusal as one sentence; the API's own words where nothing plainer is known. */
export function refusalWords(err: unknown, order: Order, wf: Workflow | undefined): string {
  if (!(err instanceof ApiProblem)) return 'Something went wrong. Try again.';
  const n = order.number;
  switch (err.type) {
    case 'not-stage-owner':
      return order.ownerRole
        ? `Only ${ROLE_NAMES[order.ownerRole]} (or a manager) can move ${n} on from ${order.stageLabel}. Nothing was changed.`
        : `You may not move ${n}. Nothing was changed.`;
    case 'requirements-unmet': {
      const missing = Array.isArray(err.body.missing) ? (err.body.missing as string[]) : [];
      const labels = missing.map((key) => wf?.fields.find((f) => f.key === key)?.label ?? key);
      return labels.length
        ? `${n} cannot leave ${order.stageLabel} yet: ${labels.join(', ')} must be filled in first. Nothing was changed.`
        : `${n} cannot leave ${order.stageLabel} yet. Nothing was changed.`;
    }
    case 'version-conflict':
      return `Someone changed ${n} a moment ago. Look at it again below, then press the button again if it is still right.`;
    case 'order-not-active':
      return `${n} is ${STATE_WORDS[order.state] ?? order.state}: it cannot be moved now.`;
    case 'forbidden':
      return `You may not do that with ${n}: ${err.detail}`;
    case 'network':
      return 'No connection to Floorboard. Check the network and try again.';
    default:
      return err.detail;
  }
}
