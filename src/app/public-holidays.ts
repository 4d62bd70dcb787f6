// A country's (and optionally a region's) public holidays for a year, from the date-holidays library: an admin
// adds them to the business calendar instead of typing each date.
import Holidays from 'date-holidays';
import { mayAdminister } from '../domain/roles.ts';
import type { Actor } from './context.ts';
import { forbidden, notFound, validationFailed } from './problem.ts';

export interface PlaceName {
  code: string;
  name: string;
}

export interface PublicHoliday {
  /** The local date the shop would be closed, YYYY-MM-DD. */
  date: string;
  name: string;
}

export interface PublicHolidays {
  country: PlaceName;
  region: PlaceName | null;
  year: number;
  holidays: PublicHoliday[];
  /** The country's regions (states, provinces) whose holidays differ; empty when it has none. */
  regions: PlaceName[];
}

function checkAdmin(actor: Actor): void {
  if (!mayAdminister(actor.role)) throw forbidden('Only an admin may look up public holidays for the calendar');
}

const byName = (a: PlaceName, b: PlaceName) => a.name.localeCompare(b.name);
const places = (record: Record<string, string> | undefined): PlaceName[] =>
  Object.entries(record ?? {})
    .map(([code, name]) => ({ code, name }))
    .sort(byName);

/** Every country the library knows, by name. */
export function holidayCountries(actor: Actor): PlaceName[] {
  checkAdmin(actor);
  return places(new Holidays().getCountries('en'));
}

/**
 * The public holidays (days off by law, substitute days included) of a country, or of one of its regions, in a
 * year. Bank, school and observance days are left out: many shops work them.
 */
export function publicHolidays(actor: Actor, countryCode: string, year: number, regionCode?: string): PublicHolidays {
  checkAdmin(actor);
  const code = countryCode.toUpperCase();
  const lookup = new Holidays();
  const countryName = lookup.getCountries('en')[code];
  if (!countryName) throw notFound(`Country "${countryCode}"`);
  const regions = places(lookup.getStates(code, 'en'));
  let region: PlaceName | null = null;
  if (regionCode) {
    region = regions.find((r) => r.code.toUpperCase() === regionCode.toUpperCase()) ?? null;
    if (!region) {
      throw validationFailed(`${countryName} has no region "${regionCode}"`, [
        {
          path: 'region',
          message: regions.length ? `must be one of ${regions.map((r) => r.code).join(', ')}` : 'has no regions',
        },
      ]);
    }
  }
  const calendar = region ? new Holidays(code, region.code) : new Holidays(code);
  const seen = new Set<string>();
  const holidays: PublicHoliday[] = [];
  for (const h of calendar.getHolidays(year, 'en') || []) {
    // Dates come as the country's local "YYYY-MM-DD hh:mm:ss"; a shop closes the whole day.
    const date = h.date.slice(0, 10);
    if (h.type !== 'public' || seen.has(date)) continue;
    seen.add(date);
    holidays.push({ date, name: h.name });
  }
  holidays.sort((a, b) => a.date.localeCompare(b.date));
  return { country: { code, name: countryName }, region, year, holidays, regions };
}
