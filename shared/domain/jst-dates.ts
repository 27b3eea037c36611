// Dates of the JST calendar (YYYY-MM-DD strings) and the instants they begin at. Pure arithmetic, no
// holidays: which dates are business days is the bank's calendar (business-days.ts), which carries the
// holiday data and is loaded only where a rule needs it.

/** A JST calendar date, `YYYY-MM-DD`. */
export type CalendarDate = string;

const jstOffsetMs = 9 * 3_600_000;
const dayMs = 86_400_000;
const calendarDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether the text is a real calendar date written `YYYY-MM-DD` (2026-02-30 is not). */
export const isCalendarDate = (text: string): text is CalendarDate => {
  const match = calendarDatePattern.exec(text);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/** The UTC midnight of a calendar date; a RangeError for what is not one. */
export const utcMidnightOf = (date: CalendarDate): Date => {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  return new Date(`${date}T00:00:00Z`);
};

/** A UTC midnight as its calendar date. */
const format = (utcMidnight: Date): CalendarDate => utcMidnight.toISOString().slice(0, 10);

/** The JST calendar date at an instant (milliseconds since the epoch). */
export const jstDateOf = (epochMs: number): CalendarDate => format(new Date(epochMs + jstOffsetMs));

/** The instant a JST calendar date begins (00:00 JST). */
export const jstStartOf = (date: CalendarDate): number => utcMidnightOf(date).getTime() - jstOffsetMs;

/** The calendar date `days` after (or, when negative, before) `date`. */
export const addCalendarDays = (date: CalendarDate, days: number): CalendarDate =>
  format(new Date(utcMidnightOf(date).getTime() + days * dayMs));
