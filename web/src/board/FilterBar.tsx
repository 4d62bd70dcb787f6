// The board's toolbar: which workflow, and the filters that narrow it to what someone needs to see.
import { useState } from 'react';
import { FLAGS, PRIORITIES, type Workflow } from '../api/types.ts';
import { FLAG_NAMES, PRIORITY_NAMES } from '../ui/badges.tsx';
import { type BoardFilters, DUE_WINDOWS, type DueWindow, isFiltering, type Lanes } from './filters.ts';

export function FilterBar({
  workflows,
  workflow,
  onWorkflow,
  filters,
  onChange,
  shown,
  total,
}: {
  workflows: Workflow[];
  workflow: string;
  onWorkflow: (key: string) => void;
  filters: BoardFilters;
  onChange: (next: BoardFilters) => void;
  shown: number;
  total: number;
}) {
  const set = <K extends keyof BoardFilters>(key: K, value: BoardFilters[K]) => onChange({ ...filters, [key]: value });
  // On a phone the filters fold away behind one button, so the board keeps the screen.
  const [open, setOpen] = useState(false);
  const active = [filters.priority, filters.due, filters.flag, filters.mine, filters.lanes === 'priority'].filter(Boolean).length;
  return (
    <search className="toolbar" aria-label="Filter the board">
      <div className="toolbar-group">
        <label className="sr-only" htmlFor="board-workflow">
          Workflow
        </label>
        <select
          id="board-workflow"
          className={workflows.length > 1 ? 'workflow-select' : 'workflow-select single'}
          value={workflow}
          onChange={(e) => onWorkflow(e.target.value)}
          data-control="workflow"
        >
          {workflows.map((w) => (
            <option key={w.key} value={w.key}>
              {w.name}
            </option>
          ))}
        </select>
        <label className="sr-only" htmlFor="board-search">
          Find orders
        </label>
        <input
          id="board-search"
          type="search"
          className="search"
          placeholder="Find number, title, customer"
          value={filters.q}
          onChange={(e) => set('q', e.target.value)}
          data-control="search"
        />
        <button
          type="button"
          className="button filters-toggle"
          aria-expanded={open}
          aria-controls="board-filters"
          onClick={() => setOpen(!open)}
        >
          Filters{active ? ` (${active})` : ''}
        </button>
      </div>
      <div className={open ? 'toolbar-group filters filters-open' : 'toolbar-group filters'} id="board-filters">
        <Select
          id="board-priority"
          label="Priority"
          value={filters.priority}
          onChange={(v) => set('priority', v as BoardFilters['priority'])}
          options={PRIORITIES.map((p) => [p, PRIORITY_NAMES[p]])}
          any="Any priority"
        />
        <Select
          id="board-due"
          label="Due"
          value={filters.due}
          onChange={(v) => set('due', v as DueWindow | '')}
          options={Object.entries(DUE_WINDOWS)}
          any="Any due date"
        />
        <Select
          id="board-flag"
          label="Flag"
          value={filters.flag}
          onChange={(v) => set('flag', v as BoardFilters['flag'])}
          options={FLAGS.map((f) => [f, FLAG_NAMES[f]])}
          any="Any flag"
        />
        <Select
          id="board-lanes"
          label="Swimlanes"
          value={filters.lanes === 'priority' ? 'priority' : ''}
          onChange={(v) => set('lanes', (v || 'none') as Lanes)}
          options={[['priority', 'Lanes by priority']]}
          any="No swimlanes"
        />
        <label className="toggle" data-control="mine">
          <input type="checkbox" checked={filters.mine} onChange={(e) => set('mine', e.target.checked)} />
          <span>Only my stages</span>
        </label>
      </div>
      <div className="toolbar-group toolbar-end">
        <span className="toolbar-count" aria-live="polite">
          {isFiltering(filters) ? `${shown} of ${total} orders` : `${total} open orders`}
        </span>
        {isFiltering(filters) && (
          <button
            type="button"
            className="button small"
            onClick={() => onChange({ q: '', priority: '', due: '', flag: '', mine: false, lanes: filters.lanes })}
          >
            Clear filters
          </button>
        )}
      </div>
    </search>
  );
}

function Select({
  id,
  label,
  value,
  onChange,
  options,
  any,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: Array<[string, string]>;
  any: string;
}) {
  return (
    <>
      <label className="sr-only" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        value={value}
        className={value ? 'filter-active' : undefined}
        onChange={(e) => onChange(e.target.value)}
        data-control={label.toLowerCase()}
      >
        <option value="">{any}</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </>
  );
}
