// "Print traveller" on the order page: the order's job traveller as a PDF in a new tab, on the paper last chosen.
import { PaperChoice, travellerUrl, usePaper } from './paper.tsx';

export function PrintTraveller({ number }: { number: string }) {
  const [paper, setPaper] = usePaper();
  return (
    <div className="print-traveller">
      <a className="button" href={travellerUrl(number, paper)} target="_blank" rel="noopener" data-print-traveller>
        Print traveller
      </a>
      <PaperChoice id="traveller-paper" paper={paper} onChange={setPaper} />
    </div>
  );
}
