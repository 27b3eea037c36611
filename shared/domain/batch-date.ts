// The designated date of a batch (振込指定日, design §12): a JST business day from today up to the contract's
// window; for salary and bonus, uploaded (and authorised) at least the contract's cut-off of business days
// before it (default 3), as banks ask for 給与振込 so that the money reaches the staff on the day. Its own
// module because it needs the bank's calendar and its holiday data, loaded only where a date is checked.

import { type BatchKind, isPayroll } from "./batch.ts";
import { salaryCutoffOf } from "./batch-limits.ts";
import { businessDaysBetween, closedReason } from "./business-days.ts";
import { addCalendarDays, type CalendarDate, jstDateOf } from "./jst-dates.ts";
import type { Contract } from "./model.ts";
import { Refusal } from "./refusal.ts";
import { defaultExecutionWindowDays } from "./scheduling.ts";

const dateRefusal = (rule: string, detail: string) =>
  new Refusal("validation", detail, { extensions: { errors: [{ field: "date", rule }] } });

/** The refusal of `date` for a batch of `kind` at `now`, or undefined when it may be chosen. */
export const batchDateRefusal = (
  kind: BatchKind,
  date: CalendarDate,
  now: number,
  contract: Pick<Contract, "executionWindowDays" | "salaryCutoffBusinessDays">,
): Refusal | undefined => {
  const today = jstDateOf(now);
  if (date < today) return dateRefusal("not-in-the-past", `${date} is before today (${today}, JST).`);
  const windowDays = contract.executionWindowDays ?? defaultExecutionWindowDays;
  const last = addCalendarDays(today, windowDays);
  if (date > last)
    return dateRefusal("within-window", `A batch can be dated up to ${last} (${windowDays} days ahead).`);
  const closed = closedReason(date);
  if (closed) return dateRefusal("business-day", `${date} is not a business day (${closed}).`);
  const cutoff = salaryCutoffOf(contract);
  if (isPayroll(kind) && businessDaysBetween(today, date) < cutoff)
    return dateRefusal(
      "salary-cutoff",
      `Salary and bonus batches are due ${cutoff} business days before their date; ${date} is too close.`,
    );
  return undefined;
};
