// The check of a transfer's designated date (予約振込, scheduling.ts): a JST business day, today or later,
// within the contract's window. Its own module because it needs the bank's calendar and its holiday data,
// which the transfers function loads only for a transfer that names a date.
import { closedReason } from "./business-days.ts";
import { addCalendarDays, type CalendarDate, jstDateOf } from "./jst-dates.ts";
import { Refusal } from "./refusal.ts";
import { defaultExecutionWindowDays } from "./scheduling.ts";

const dateRefusal = (rule: string, detail: string) =>
  new Refusal("validation", detail, { extensions: { errors: [{ field: "executionDate", rule }] } });

/** The refusal of `date` as a transfer's designated date at `now`, or undefined when it may be chosen. */
export const executionDateRefusal = (
  date: CalendarDate,
  now: number,
  windowDays: number = defaultExecutionWindowDays,
): Refusal | undefined => {
  const today = jstDateOf(now);
  if (date < today) return dateRefusal("not-in-the-past", `${date} is before today (${today}, JST).`);
  const last = addCalendarDays(today, windowDays);
  if (date > last)
    return dateRefusal(
      "within-window",
      `A transfer can be scheduled up to ${last} (${windowDays} days ahead).`,
    );
  const closed = closedReason(date);
  if (closed) return dateRefusal("business-day", `${date} is not a business day (${closed}).`);
  return undefined;
};
