// The board's print bar: select cards, then print all their travellers as one PDF (a page each, board order).
import { useState } from 'react';
import { ApiProblem, currentCsrfToken } from '../api/client.ts';
import { notify } from '../ui/notices.tsx';
import { type Paper, PaperChoice, usePaper } from './paper.tsx';
import { useSelection } from './selection.tsx';

/** Asks for the travellers' PDF; a refusal arrives as the API's problem. */
async function fetchTravellers(orders: string[], paper: Paper): Promise<Blob> {
  const token = currentCsrfToken();
  const res = await fetch('/api/v1/travellers.pdf', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...(token ? { 'x-csrf-token': token } : {}) },
    body: JSON.stringify({ orders, paper }),
  });
  if (!res.ok) throw new ApiProblem(res.status, await res.json().catch(() => ({})));
  return res.blob();
}

/** `shown`: the order numbers on screen, in board order; printing follows it. */
export function BoardPrintBar({ shown }: { shown: string[] }) {
  const s = useSelection();
  const [paper, setPaper] = usePaper();
  const [busy, setBusy] = useState(false);
  const chosen = shown.filter((n) => s.selected.has(n));

  if (!s.selecting) {
    return (
      <div className="print-bar">
        <button type="button" className="button small" onClick={() => s.setSelecting(true)} data-select-to-print>
          Select to print
        </button>
      </div>
    );
  }

  const print = async () => {
    // Opened now, while the click still counts as the person's: a window opened after the wait would be blocked.
    const tab = window.open('', '_blank');
    setBusy(true);
    try {
      const url = URL.createObjectURL(await fetchTravellers(chosen, paper));
      if (tab) tab.location.href = url;
      else {
        const a = document.createElement('a');
        a.href = url;
        a.download = `travellers-${chosen.length}.pdf`;
        a.click();
      }
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      tab?.close();
      notify('error', 'The travellers could not be printed', (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="print-bar print-bar-on" aria-label="Print travellers">
      <span data-selected-count={chosen.length}>
        <strong>{chosen.length}</strong> selected
      </span>
      <button type="button" className="button small" onClick={() => s.set(shown)}>
        Select all {shown.length} shown
      </button>
      <PaperChoice id="board-paper" paper={paper} onChange={setPaper} />
      <button
        type="button"
        className="button primary small"
        disabled={chosen.length === 0 || busy}
        onClick={print}
        data-print-selected
      >
        {busy ? 'Printing…' : `Print ${chosen.length} ${chosen.length === 1 ? 'traveller' : 'travellers'}`}
      </button>
      <button type="button" className="button small" onClick={() => s.setSelecting(false)}>
        Done
      </button>
    </section>
  );
}
