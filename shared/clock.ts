// The one clock. Everything that depends on time takes a Clock, so tests move time instead of sleeping.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that tests set and advance by hand. */
export class ManualClock implements Clock {
  constructor(private current: number = Date.UTC(2026, 0, 5, 0, 0, 0)) {}
  now(): number {
    return this.current;
  }
  set(epochMs: number): void {
    this.current = epochMs;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/**
 * A clock that starts at `start` and runs on with the wall clock: the local stack's time travel
 * (`CLOCK=<ISO time> npm start`), never used in a deployed function.
 */
export const clockStartingAt = (start: number, wall: Clock = systemClock): Clock => {
  const offset = start - wall.now();
  return { now: () => wall.now() + offset };
};
