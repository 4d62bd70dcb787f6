// What can be done with the order now: move it on, move it elsewhere, hold, resume, cancel (with a reason).
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, post } from '../api/client.ts';
import { keys } from '../api/queries.ts';
import type { Order, Workflow } from '../api/types.ts';
import { mayMoveOutOf } from '../auth/roles.ts';
import { useUser } from '../auth/session.tsx';
import { nextStage, useMoves } from '../board/moves.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { notify } from '../ui/notices.tsx';

type Pending = { action: 'hold' | 'cancel' } | null;

export function OrderActions({ order, wf }: { order: Order; wf: Workflow | undefined }) {
  const user = useUser();
  const qc = useQueryClient();
  const moves = useMoves(wf);
  const [asking, setAsking] = useState<Pending>(null);
  const next = wf ? nextStage(wf, order.stage) : undefined;
  const owner = order.ownerRole;
  const allowed = owner ? mayMoveOutOf(user.role, owner) : false;
  const active = order.state === 'active';
  const held = order.state === 'on_hold';

  const run = async (path: 'hold' | 'resume' | 'cancel', reason: string | null) => {
    try {
      const result = await post<Order>(`/orders/${order.id}/${path}`, {
        ...(reason ? { reason } : {}),
        expectedVersion: order.version,
      });
      qc.setQueryData(keys.order(order.number), result);
      void qc.invalidateQueries({ queryKey: keys.events(order.id) });
      notify('success', `${order.number} ${path === 'hold' ? 'is on hold' : path === 'resume' ? 'resumed' : 'cancelled'}`);
    } catch (err) {
      notify('error', 'That did not work', err instanceof ApiProblem ? err.detail : undefined);
      void qc.invalidateQueries({ queryKey: ['order'] });
    }
  };

  if (!active && !held) return null;
  return (
    <div className="order-actions">
      {active && next && (
        <button
          type="button"
          className="button primary"
          disabled={!allowed}
          onClick={() => moves.requestMove(order, next.key)}
          data-action="move-next"
        >
          Move to {next.label}
        </button>
      )}
      {active && (
        <button type="button" className="button" disabled={!allowed} onClick={() => moves.chooseStage(order)}>
          Move to…
        </button>
      )}
      {active && (
        <button type="button" className="button" disabled={!allowed} onClick={() => setAsking({ action: 'hold' })}>
          Hold
        </button>
      )}
      {held && (
        <button type="button" className="button primary" disabled={!allowed} onClick={() => run('resume', null)}>
          Resume
        </button>
      )}
      <button type="button" className="button danger" disabled={!allowed} onClick={() => setAsking({ action: 'cancel' })}>
        Cancel order
      </button>
      {!allowed && owner && <p className="muted small">Only {owner}, a manager or an admin may act on this stage.</p>}
      {asking && (
        <ReasonDialog
          title={asking.action === 'hold' ? `Put ${order.number} on hold` : `Cancel ${order.number}`}
          confirm={asking.action === 'hold' ? 'Put on hold' : 'Cancel order'}
          danger={asking.action === 'cancel'}
          onClose={() => setAsking(null)}
          onConfirm={(reason) => {
            setAsking(null);
            void run(asking.action, reason);
          }}
        />
      )}
      {moves.dialog}
    </div>
  );
}

function ReasonDialog({
  title,
  confirm,
  danger,
  onClose,
  onConfirm,
}: {
  title: string;
  confirm: string;
  danger?: boolean;
  onClose: () => void;
  onConfirm: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) setError('Say why: it is kept in the order history');
    else onConfirm(reason.trim());
  };
  return (
    <Dialog title={title} open onClose={onClose}>
      <form className="dialog-body" onSubmit={submit}>
        <div className={`field${error ? ' field-invalid' : ''}`}>
          <label htmlFor="action-reason">Reason</label>
          <textarea
            id="action-reason"
            rows={3}
            value={reason}
            aria-invalid={Boolean(error)}
            onChange={(e) => {
              setReason(e.target.value);
              setError(null);
            }}
          />
          {error && <p className="field-error">{error}</p>}
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Back
          </button>
          <button type="submit" className={danger ? 'button danger' : 'button primary'}>
            {confirm}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
