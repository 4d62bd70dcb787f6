// Moving an order to another stage, from the board, the queue or the order page. The card moves at once;
// when the API refuses, it snaps back and the API's own explanation is shown.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, get, post } from '../api/client.ts';
import { keys } from '../api/queries.ts';
import type { Board, Card, Order, Workflow } from '../api/types.ts';
import { mayOverride } from '../auth/roles.ts';
import { useUser } from '../auth/session.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { notify } from '../ui/notices.tsx';
import { cardFromOrder, findCard, placeCard } from './board-cache.ts';

export type MoveKind = 'forward' | 'skip' | 'rework';

/** What kind of move this is, by the stages' order; null for no move at all. */
export function moveKind(wf: Workflow, from: string, to: string): MoveKind | null {
  const a = wf.stages.findIndex((s) => s.key === from);
  const b = wf.stages.findIndex((s) => s.key === to);
  if (b < 0 || a === b) return null;
  if (b < a) return 'rework';
  return b === a + 1 ? 'forward' : 'skip';
}

export function nextStage(wf: Workflow, from: string) {
  const i = wf.stages.findIndex((s) => s.key === from);
  return i >= 0 ? wf.stages[i + 1] : undefined;
}

export function stageLabel(wf: Workflow | undefined, key: string): string {
  return wf?.stages.find((s) => s.key === key)?.label ?? key;
}

/** The least a move needs to know about the order. */
export type Movable = Pick<Card, 'id' | 'number' | 'stage' | 'version'>;

interface Ask {
  order: Movable;
  /** null: let the user pick the stage. */
  to: string | null;
}

export interface Moves {
  /** Moves at once, or first asks for a reason where the move needs one. */
  requestMove: (order: Movable, to: string) => void;
  /** Opens the "Move to…" dialog: any stage, with a reason where needed. */
  chooseStage: (order: Movable) => void;
  dialog: React.ReactNode;
}

/** The moved order with the history it had before the move, the move's entry added at the end. */
function withHistory(moved: Order, before: Order): Order {
  const entered = moved.stageHistory[0];
  if (!entered) return { ...moved, stageHistory: before.stageHistory };
  const closed = before.stageHistory.map((v) => (v.exitedAt === null ? { ...v, exitedAt: entered.enteredAt } : v));
  return { ...moved, stageHistory: [...closed, entered] };
}

export function useMoves(wf: Workflow | undefined): Moves {
  const qc = useQueryClient();
  const user = useUser();
  const [ask, setAsk] = useState<Ask | null>(null);

  const send = async (order: Movable, to: string, reason: string | null): Promise<Order | null> => {
    if (!wf) return null;
    const boardKey = keys.board(wf.key);
    const original = (() => {
      const board = qc.getQueryData<Board>(boardKey);
      return board ? findCard(board, order.id) : undefined;
    })();
    if (original) {
      qc.setQueryData<Board>(boardKey, (b) => b && placeCard(b, order.id, { ...original, stage: to, pending: true }));
    }
    try {
      const moved = await post<Order>(`/orders/${order.id}/transitions`, {
        to,
        ...(reason ? { reason } : {}),
        expectedVersion: order.version,
      });
      qc.setQueryData<Board>(boardKey, (b) => b && placeCard(b, order.id, cardFromOrder(moved)));
      // A move's answer carries only the stage the order is in now: keep the history the order page had
      // (closing its open visit) until the order is read again.
      qc.setQueryData<Order>(keys.order(moved.number), (before) => before && withHistory(moved, before));
      void qc.invalidateQueries({ queryKey: keys.order(moved.number) });
      void qc.invalidateQueries({ queryKey: keys.queue });
      void qc.invalidateQueries({ queryKey: keys.events(moved.id) });
      notify(
        'success',
        moved.state === 'completed' ? `${order.number} is complete` : `${order.number} moved to ${stageLabel(wf, to)}`,
      );
      return moved;
    } catch (err) {
      // Snap back, unless a newer version of the card has arrived meanwhile.
      if (original) {
        qc.setQueryData<Board>(boardKey, (b) => {
          const now = b && findCard(b, order.id);
          return b && now && now.version === original.version ? placeCard(b, order.id, original, { force: true }) : b;
        });
      }
      const problem = err instanceof ApiProblem ? err : null;
      if (problem?.type === 'version-conflict') {
        await reconcile(order);
      } else {
        notify('error', `${order.number} was not moved`, problem?.detail ?? 'Something went wrong; try again.');
      }
      return null;
    }
  };

  /** After a conflict: show the order where the server has it, and say so. */
  const reconcile = async (order: Movable) => {
    try {
      const current = await get<Order>(`/orders/${order.id}`);
      if (wf) qc.setQueryData<Board>(keys.board(wf.key), (b) => b && placeCard(b, order.id, cardFromOrder(current)));
      void qc.invalidateQueries({ queryKey: keys.order(current.number) });
      notify(
        'warning',
        `Someone else changed ${order.number} first`,
        `It is now in ${current.stageLabel}${current.state === 'on_hold' ? ' (on hold)' : ''}. Your move was not made.`,
      );
    } catch {
      void qc.invalidateQueries({ queryKey: ['board'] });
    }
  };

  const requestMove = (order: Movable, to: string) => {
    if (!wf) return;
    const kind = moveKind(wf, order.stage, to);
    if (!kind) return;
    // Rework always needs a reason; a manager's skip is an override with one. Anyone else's skip goes to
    // the API as it is, so its refusal explains the rule.
    if (kind === 'rework' || (kind === 'skip' && mayOverride(user.role))) setAsk({ order, to });
    else void send(order, to, null);
  };

  const dialog = wf && ask && (
    <MoveDialog
      wf={wf}
      ask={ask}
      onClose={() => setAsk(null)}
      onMove={(to, reason) => {
        setAsk(null);
        void send(ask.order, to, reason);
      }}
    />
  );
  return { requestMove, chooseStage: (order) => setAsk({ order, to: null }), dialog };
}

function MoveDialog({
  wf,
  ask,
  onClose,
  onMove,
}: {
  wf: Workflow;
  ask: Ask;
  onClose: () => void;
  onMove: (to: string, reason: string | null) => void;
}) {
  const user = useUser();
  const [to, setTo] = useState(ask.to ?? nextStage(wf, ask.order.stage)?.key ?? '');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const kind = moveKind(wf, ask.order.stage, to);
  const needsReason = kind === 'rework' || (kind === 'skip' && mayOverride(user.role));
  const from = wf.stages.findIndex((s) => s.key === ask.order.stage);
  const skipped =
    kind === 'skip'
      ? wf.stages.slice(
          from + 1,
          wf.stages.findIndex((s) => s.key === to),
        )
      : [];

  const title = ask.to
    ? kind === 'rework'
      ? `Send ${ask.order.number} back to ${stageLabel(wf, to)}?`
      : `Skip ${ask.order.number} to ${stageLabel(wf, to)}?`
    : `Move ${ask.order.number}`;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!kind) {
      setError('Choose a stage other than the current one');
      return;
    }
    if (needsReason && !reason.trim()) {
      setError(kind === 'rework' ? 'Say why the order goes back' : 'Say why stages are skipped');
      return;
    }
    onMove(to, needsReason ? reason.trim() : null);
  };

  return (
    <Dialog title={title} open onClose={onClose}>
      <form className="dialog-body" onSubmit={submit} data-move-dialog>
        {!ask.to && (
          <div className="field">
            <label htmlFor="move-to">Move to stage</label>
            <select id="move-to" value={to} onChange={(e) => setTo(e.target.value)}>
              {wf.stages.map((s, i) => (
                <option key={s.key} value={s.key} disabled={s.key === ask.order.stage}>
                  {i + 1}. {s.label}
                  {s.key === ask.order.stage ? ' (current)' : ''}
                </option>
              ))}
            </select>
          </div>
        )}
        <p className="muted">
          From <strong>{stageLabel(wf, ask.order.stage)}</strong> to <strong>{stageLabel(wf, to)}</strong>.
          {kind === 'rework' && ' Going back is rework: the reason is kept in the order history.'}
          {kind === 'skip' &&
            ` This skips ${skipped.map((s) => s.label).join(', ')}${needsReason ? ' and is recorded as a manager override.' : '.'}`}
        </p>
        {needsReason && (
          <div className={`field${error ? ' field-invalid' : ''}`}>
            <label htmlFor="move-reason">Reason</label>
            <textarea
              id="move-reason"
              rows={3}
              value={reason}
              aria-invalid={Boolean(error)}
              aria-describedby={error ? 'move-reason-error' : undefined}
              onChange={(e) => {
                setReason(e.target.value);
                setError(null);
              }}
              placeholder={kind === 'rework' ? 'e.g. Misprint on part of the run' : 'e.g. Customer collects in person'}
            />
            {error && (
              <p className="field-error" id="move-reason-error">
                {error}
              </p>
            )}
          </div>
        )}
        {!needsReason && error && <p className="form-error">{error}</p>}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary">
            {kind === 'rework' ? 'Send back' : 'Move'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
