// The Reports page's filters: which workflow, which days, which priorities, which customer. They live in the address.
import type { ReportFilters } from '../api/report-queries.ts';
import { useReportCustomers } from '../api/report-queries.ts';
import { PRIORITIES, type Priority, type Workflow } from '../api/types.ts';
import { PRIORITY_NAMES } from '../ui/badges.tsx';

export function ReportFilterBar({
  workflows,
  filters,
  defaults,
  onChange,
}: {
  workflows: Workflow[];
  filters: ReportFilters;
  /** The period the API chose when none was asked for (the last 12 weeks, or from the first order), to show in the date inputs. */
  defaults: { from: string; to: string } | null;
  onChange: (next: ReportFilters) => void;
}) {
  const customers = useReportCustomers(filters.workflow);
  const set = <K extends keyof ReportFilters>(key: K, value: ReportFilters[K]) => onChange({ ...filters, [key]: value });
  const togglePriority = (p: Priority, on: boolean) =>
    set(
      'priority',
      on
        ? [...PRIORITIES].reverse().filter((q) => q === p || filters.priority.includes(q))
        : filters.priority.filter((q) => q !== p),
    );
  const filtered = filters.from || filters.to || filters.priority.length > 0 || filters.customer;
  // A customer from the address that this workflow does not have stays choosable, so the select tells the truth.
  const names = customers.data?.map((c) => c.name) ?? [];
  const customer = filters.customer
    ? (names.find((n) => n.toLowerCase() === filters.customer?.toLowerCase()) ?? filters.customer)
    : '';
  const unknownCustomer = customer !== '' && !names.includes(customer);

  return (
    <search className="panel report-filters" aria-label="Report filters" data-report-filters>
      <div className="field">
        <label htmlFor="report-workflow">Workflow</label>
        <select
          id="report-workflow"
          value={filters.workflow}
          onChange={(e) => onChange({ ...filters, workflow: e.target.value, customer: null })}
          data-control="workflow"
        >
          {workflows.map((w) => (
            <option key={w.key} value={w.key}>
              {w.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="report-from">From</label>
        <input
          id="report-from"
          type="date"
          value={filters.from ?? defaults?.from ?? ''}
          max={filters.to ?? defaults?.to}
          onChange={(e) => set('from', e.target.value || null)}
          data-control="from"
        />
      </div>
      <div className="field">
        <label htmlFor="report-to">To</label>
        <input
          id="report-to"
          type="date"
          value={filters.to ?? defaults?.to ?? ''}
          min={filters.from ?? defaults?.from}
          onChange={(e) => set('to', e.target.value || null)}
          data-control="to"
        />
      </div>
      <fieldset className="report-priorities" data-control="priority">
        <legend>Priority</legend>
        {[...PRIORITIES].reverse().map((p) => (
          <label key={p} className="check">
            <input
              type="checkbox"
              checked={filters.priority.includes(p)}
              onChange={(e) => togglePriority(p, e.target.checked)}
              value={p}
            />{' '}
            {PRIORITY_NAMES[p]}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="report-customer">Customer</label>
        <select
          id="report-customer"
          value={customer}
          onChange={(e) => set('customer', e.target.value || null)}
          data-control="customer"
        >
          <option value="">Every customer</option>
          {unknownCustomer && <option value={customer}>{customer}</option>}
          {customers.data?.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} ({c.orders})
            </option>
          ))}
        </select>
      </div>
      {filtered && (
        <button
          type="button"
          className="button ghost small report-reset"
          onClick={() => onChange({ workflow: filters.workflow, from: null, to: null, priority: [], customer: null })}
        >
          Last 12 weeks, everything
        </button>
      )}
    </search>
  );
}
