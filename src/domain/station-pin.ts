// The rules for a station PIN and its lock-out: pure, so the API and the tests read the same numbers.

export const PIN_MIN_DIGITS = 4;
export const PIN_MAX_DIGITS = 8;
/** Wrong PINs for one person on one station before that person is locked there. */
export const PIN_TRIES = 5;
export const PIN_LOCK_MINUTES = 10;
/** How long a station session may sit without a request: never under 30 seconds, at most 8 hours. */
export const STATION_IDLE_MIN_SECONDS = 30;
export const STATION_IDLE_MAX_SECONDS = 8 * 3600;

/** Why a PIN will not do, or null when it will: digits only, not one digit repeated, not a plain run up or down. */
export function pinProblem(pin: string): string | null {
  if (!/^\d+$/.test(pin)) return 'must be digits only';
  if (pin.length < PIN_MIN_DIGITS || pin.length > PIN_MAX_DIGITS) {
    return `must be ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits`;
  }
  if (/^(\d)\1+$/.test(pin)) return 'is too easy to guess: not one digit repeated';
  const steps = new Set<number>();
  for (let i = 1; i < pin.length; i++) steps.add((Number(pin[i]) - Number(pin[i - 1]) + 10) % 10);
  if (steps.size === 1 && (steps.has(1) || steps.has(9))) return 'is too easy to guess: not a run like 1234 or 9876';
  return null;
}
