// The new-order form's customer box: typing offers the customers on record (name or e-mail), picking one links the
// order to that record; a name nobody has yet makes a new record when the order is created.
import { useDeferredValue, useId, useState } from 'react';
import { type CustomerSummary, useCustomerSearch } from './customer-api.ts';

export interface PickedCustomer {
  name: string;
  /** Set when the name was picked from the records (and not changed since). */
  record: CustomerSummary | null;
}

export function CustomerPicker({
  value,
  onChange,
  inputProps,
}: {
  value: PickedCustomer;
  onChange: (next: PickedCustomer) => void;
  inputProps: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined };
}) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const q = useDeferredValue(value.name.trim());
  const found = useCustomerSearch(q, { limit: 8, enabled: open && q.length > 0 });
  const options = open && q && !value.record ? (found.data ?? []) : [];
  const shown = options.length > 0;

  const pick = (c: CustomerSummary) => {
    onChange({ name: c.name, record: c });
    setOpen(false);
  };

  return (
    <div className="combobox">
      <input
        {...inputProps}
        name="customer"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={shown}
        aria-controls={listId}
        aria-activedescendant={shown ? `${listId}-${active}` : undefined}
        value={value.name}
        onChange={(e) => {
          onChange({ name: e.target.value, record: null });
          setOpen(true);
          setActive(0);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (!shown) return;
          if (e.key === 'ArrowDown') setActive((i) => Math.min(i + 1, options.length - 1));
          else if (e.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
          else if (e.key === 'Enter') pick(options[active] ?? options[0]!);
          else if (e.key === 'Escape') setOpen(false);
          else return;
          e.preventDefault();
        }}
      />
      {shown && (
        <div className="combobox-list" id={listId} role="listbox" aria-label="Customers on record" data-customer-options>
          {options.map((c, i) => (
            <div
              key={c.id}
              id={`${listId}-${i}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              // Before the input's blur closes the list.
              onMouseDown={(e) => {
                e.preventDefault();
                pick(c);
              }}
              data-customer-option={c.name}
            >
              <strong>{c.name}</strong>
              <span className="muted small">
                {' '}
                {c.email ? `${c.email} · ` : ''}
                {c.orders} {c.orders === 1 ? 'order' : 'orders'}
              </span>
            </div>
          ))}
        </div>
      )}
      {value.record && (
        <p className="field-hint" data-customer-picked>
          Existing customer: {value.record.orders} {value.record.orders === 1 ? 'order' : 'orders'}
          {value.record.email ? `, updates to ${value.record.email}` : ''}
        </p>
      )}
    </div>
  );
}
