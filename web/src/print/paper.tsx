// The paper travellers are printed on, remembered on this device: a shop's printer takes one size.
import { useState } from 'react';

export const PAPERS = [
  { key: 'a4', label: 'A4' },
  { key: 'letter', label: 'US Letter' },
] as const;
export type Paper = (typeof PAPERS)[number]['key'];

const PAPER_KEY = 'floorboard.paper';

function remembered(): Paper {
  const stored = localStorage.getItem(PAPER_KEY);
  return PAPERS.some((p) => p.key === stored) ? (stored as Paper) : 'a4';
}

export function usePaper(): [Paper, (paper: Paper) => void] {
  const [paper, setPaper] = useState<Paper>(remembered);
  return [
    paper,
    (next) => {
      localStorage.setItem(PAPER_KEY, next);
      setPaper(next);
    },
  ];
}

/** The address of one order's traveller: a plain GET the browser opens with the session cookie. */
export function travellerUrl(idOrNumber: string, paper: Paper): string {
  return `/api/v1/orders/${encodeURIComponent(idOrNumber)}/traveller.pdf?paper=${paper}`;
}

export function PaperChoice({ paper, onChange, id }: { paper: Paper; onChange: (p: Paper) => void; id: string }) {
  return (
    <>
      <label htmlFor={id} className="sr-only">
        Paper size
      </label>
      <select id={id} value={paper} onChange={(e) => onChange(e.target.value as Paper)} data-paper>
        {PAPERS.map((p) => (
          <option key={p.key} value={p.key}>
            {p.label}
          </option>
        ))}
      </select>
    </>
  );
}
