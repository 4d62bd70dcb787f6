// Time as a value passed in: the domain never reads the wall clock, so stalls and deadlines are testable.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until told to move: for tests and simulations. */
export class ManualClock implements Clock {
  #at: number;
  constructor(start: Date | string) {
    this.#at = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#at);
  }
  set(at: Date | string): void {
    this.#at = new Date(at).getTime();
  }
  advanceHours(hours: number): void {
    this.#at += hours * 3_600_000;
  }
}

/** The UTC calendar date (YYYY-MM-DD) of an instant. */
export function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Hours between two instants given as ISO strings or Dates. */
export function hoursBetween(from: string | Date, to: string | Date): number {
  return (new Date(to).getTime() - new Date(from).getTime()) / 3_600_000;
}
