// Settings: load a country's (or region's) public holidays for a year and add the ones picked to the calendar.
import { type FormEvent, useState } from 'react';
import { ApiProblem, get, query } from '../api/client.ts';
import { Field } from '../ui/Field.tsx';
import { type PublicHolidays, useHolidayCountries } from './settings-api.ts';

export function HolidayLoader({
  existing,
  onAdd,
  busy,
}: {
  existing: string[];
  onAdd: (dates: string[]) => Promise<void>;
  busy: boolean;
}) {
  const countries = useHolidayCountries();
  const [country, setCountry] = useState('');
  const [region, setRegion] = useState('');
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [found, setFound] = useState<PublicHolidays | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = async (e?: FormEvent, regionCode = region) => {
    e?.preventDefault();
    if (!country) return;
    setLoading(true);
    setError(null);
    try {
      const result = await get<PublicHolidays>(
        `/settings/holidays/${country}${query({ year: Number(year), region: regionCode || undefined })}`,
      );
      setFound(result);
      setPicked(new Set(result.holidays.map((h) => h.date).filter((d) => !existing.includes(d))));
    } catch (err) {
      setFound(null);
      setError(err instanceof ApiProblem ? err.detail : 'The holidays could not be loaded');
    } finally {
      setLoading(false);
    }
  };

  const add = async () => {
    await onAdd([...picked]);
    setPicked(new Set());
  };

  return (
    <section className="panel" aria-labelledby="public-holidays-title" data-holiday-loader>
      <h2 id="public-holidays-title">Public holidays</h2>
      <form className="inline-form" onSubmit={(e) => void load(e)}>
        <Field label="Country">
          {(p) => (
            <select
              {...p}
              value={country}
              onChange={(e) => {
                setCountry(e.target.value);
                setRegion('');
                setFound(null);
              }}
              data-holiday-country
            >
              <option value="">Choose…</option>
              {countries.data?.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Year">
          {(p) => <input {...p} type="number" min={1970} max={2200} value={year} onChange={(e) => setYear(e.target.value)} />}
        </Field>
        <button type="submit" className="button" disabled={!country || loading} data-action="load-holidays">
          Load
        </button>
      </form>
      {found && found.regions.length > 0 && (
        <Field label="Region" hint="Regions keep some holidays of their own">
          {(p) => (
            <select
              {...p}
              value={region}
              onChange={(e) => {
                setRegion(e.target.value);
                void load(undefined, e.target.value);
              }}
              data-holiday-region
            >
              <option value="">The whole country</option>
              {found.regions.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {found && (
        <>
          <p className="small">
            {found.holidays.length} public holidays in {found.region ? `${found.region.name}, ` : ''}
            {found.country.name}, {found.year}:
          </p>
          <ul className="holiday-list" data-found-holidays>
            {found.holidays.map((h) => (
              <li key={h.date}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={picked.has(h.date)}
                    disabled={existing.includes(h.date)}
                    onChange={() =>
                      setPicked((s) => {
                        const next = new Set(s);
                        if (next.has(h.date)) next.delete(h.date);
                        else next.add(h.date);
                        return next;
                      })
                    }
                  />
                  {h.date} · {h.name}
                </label>
                {existing.includes(h.date) && <span className="muted small">already a holiday</span>}
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="button primary"
            disabled={busy || picked.size === 0}
            onClick={() => void add()}
            data-action="add-public-holidays"
          >
            Add {picked.size} to the calendar
          </button>
        </>
      )}
    </section>
  );
}
