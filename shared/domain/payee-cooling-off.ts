// Cooling-off (design §10): from which JST business day a payee confirmed at a moment can receive money.
// Its own module because it needs the bank's calendar (business-days.ts) and its holiday data, which only
// the functions that confirm payees load.
import { nextBusinessDay } from "./business-days.ts";
import { type CalendarDate, jstDateOf } from "./jst-dates.ts";

/**
 * The JST date a payee confirmed at `at` can first receive money: with cooling-off, the first business day
 * after the day of the confirmation (a confirmation on a Friday evening or a holiday waits for the next
 * business day); without, the day of the confirmation.
 */
export const usableFromOf = (at: number, coolingOff: boolean): CalendarDate => {
  const today = jstDateOf(at);
  return coolingOff ? nextBusinessDay(today) : today;
};
