// Settings: the business calendar (time zone, working days and hours, holidays). Stall thresholds, deadlines and
// etas are counted in it, so a wrong time zone puts every stall clock and eta hours off.
import { type FormEvent, useMemo, useState } from 'react';
import type { Settings } from '../api/types.ts';
import { Field } from '../ui/Field.tsx';
import { HolidayLoader } from './HolidayLoader.tsx';
import { useSaveSettings } from './settings-api.ts';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function timeZones(current: string): string[] {
  const known = Intl.supportedValuesOf('timeZone');
  return [...new Set(['UTC', current, ...known])].filter((z) => !FIXED_OFFSETS.some((o) => o.value === z));
}

/** Fixed offsets, no daylight saving (IANA writes them with the sign reversed: Etc/GMT-5 is UTC+5). */
const FIXED_OFFSETS = Array.from({ length: 27 }, (_, i) => 14 - i)
  .filter((h) => h !== 0)
  .map((h) => ({
    value: `Etc/GMT${h > 0 ? '-' : '+'}${Math.abs(h)}`,
    label: `UTC${h > 0 ? '+' : '−'}${Math.abs(h)}, no daylight saving`,
  }));

export function CalendarSettings({ settings }: { settings: Settings }) {
  const { save, busy, problem } = useSaveSettings();
  const cal = settings.calendar;
  const [timeZone, setTimeZone] = useState(cal.timeZone);
  const [days, setDays] = useState<number[]>(cal.workingDays);
  const [dayStart, setDayStart] = useState(cal.dayStart);
  const [dayEnd, setDayEnd] = useState(cal.dayEnd);
  const [holidays, setHolidays] = useState<string[]>(cal.holidays);
  const [newHoliday, setNewHoliday] = useState('');
  const zones = useMemo(() => timeZones(cal.timeZone), [cal.timeZone]);
  const localNow = useMemo(() => {
    try {
      return new Intl.DateTimeFormat(undefined, { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(
        new Date(),
      );
    } catch {
      return null;
    }
  }, [timeZone]);

  const saveCalendar = (nextHolidays: string[], what: string) =>
    save({ calendar: { timeZone, workingDays: days, dayStart, dayEnd, holidays: nextHolidays } }, what);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void saveCalendar(holidays, 'Calendar saved: flags and etas now count in it');
  };

  const addHolidays = async (dates: string[]) => {
    const next = [...new Set([...holidays, ...dates])].sort();
    if (await saveCalendar(next, `${next.length - holidays.length} holiday(s) added`)) setHolidays(next);
  };

  const removeHoliday = async (date: string) => {
    const next = holidays.filter((d) => d !== date);
    if (await saveCalendar(next, `${date} is a working day again`)) setHolidays(next);
  };

  const toggleDay = (day: number) =>
    setDays((d) => (d.includes(day) ? d.filter((x) => x !== day) : [...d, day].sort((a, b) => a - b)));

  return (
    <div className="admin-grid">
      <div>
        <form className="panel" onSubmit={submit} aria-labelledby="calendar-title" data-form="calendar">
          <h2 id="calendar-title">Working time</h2>
          <p className="muted small">
            Stall thresholds, reminders, deadlines and expected dates count working hours in this time zone. Changes apply to
            every order at once.
          </p>
          <Field
            label="Time zone"
            error={problem?.errorFor('calendar.timeZone') ?? problem?.errorFor('calendar')}
            hint={localNow ? `Now there: ${localNow}` : undefined}
          >
            {(p) => (
              <select {...p} value={timeZone} onChange={(e) => setTimeZone(e.target.value)} data-time-zone>
                <optgroup label="Places">
                  {zones.map((z) => (
                    <option key={z} value={z}>
                      {z.replaceAll('_', ' ')}
                    </option>
                  ))}
                </optgroup>
                <optgroup label="Fixed offsets">
                  {FIXED_OFFSETS.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </optgroup>
              </select>
            )}
          </Field>
          <fieldset className="weekdays">
            <legend>Working days</legend>
            {WEEKDAYS.map((name, i) => (
              <label key={name} className="check">
                <input type="checkbox" checked={days.includes(i + 1)} onChange={() => toggleDay(i + 1)} data-weekday={i + 1} />
                {name}
              </label>
            ))}
          </fieldset>
          {problem?.errorFor('calendar.workingDays') && <p className="field-error">{problem.errorFor('calendar.workingDays')}</p>}
          <div className="hours">
            <Field label="Opens" error={problem?.errorFor('calendar.dayStart')}>
              {(p) => <input {...p} type="time" required value={dayStart} onChange={(e) => setDayStart(e.target.value)} />}
            </Field>
            <Field label="Closes" error={problem?.errorFor('calendar.dayEnd')}>
              {(p) => <input {...p} type="time" required value={dayEnd} onChange={(e) => setDayEnd(e.target.value)} />}
            </Field>
          </div>
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={busy || days.length === 0} data-action="save-calendar">
              Save
            </button>
            {days.length === 0 && <span className="field-error">Pick at least one working day</span>}
          </div>
        </form>
      </div>
      <div>
        <section className="panel" aria-labelledby="holidays-title">
          <h2 id="holidays-title">Holidays</h2>
          <p className="muted small">Days the shop is closed: no working time passes on them.</p>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (newHoliday) void addHolidays([newHoliday]).then(() => setNewHoliday(''));
            }}
          >
            <Field label="Add a date" error={problem?.errorFor('calendar.holidays')}>
              {(p) => <input {...p} type="date" value={newHoliday} onChange={(e) => setNewHoliday(e.target.value)} />}
            </Field>
            <button type="submit" className="button" disabled={busy || !newHoliday} data-action="add-holiday">
              Add
            </button>
          </form>
          {holidays.length === 0 ? (
            <p className="muted">No holidays yet.</p>
          ) : (
            <ul className="holiday-list" data-holidays>
              {holidays.map((d) => (
                <li key={d} data-holiday={d}>
                  <span>{d}</span>
                  <button
                    type="button"
                    className="button small ghost"
                    onClick={() => void removeHoliday(d)}
                    disabled={busy}
                    aria-label={`Remove ${d}`}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        <HolidayLoader existing={holidays} onAdd={addHolidays} busy={busy} />
      </div>
    </div>
  );
}
