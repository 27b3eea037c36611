// The bank's calendar: business days in Japan (JST), for payee cooling-off, designated dates and
// scheduled execution. Not business days: Saturdays, Sundays, Japanese public holidays (the
// `@holiday-jp/holiday_jp` data set, substitute and citizens' holidays included) and the bank holidays
// 12/31–1/3, which are not public holidays. Dates are plain `YYYY-MM-DD` strings of the JST calendar.
// The holiday data set runs to 2050; dates after it count only weekends and the year end as closed.
import holidayJp from "@holiday-jp/holiday_jp";
import { addCalendarDays, type CalendarDate, utcMidnightOf } from "./jst-dates.ts";

/** 12/31–1/3: the banks' year-end holidays (金融機関の休業日), on top of the public ones. */
const isBankYearEndHoliday = (month: number, day: number): boolean =>
  (month === 12 && day === 31) || (month === 1 && day <= 3);

/** Why a date is not a business day, or undefined when it is one. */
export type ClosedReason = "weekend" | "public-holiday" | "bank-holiday";

export const closedReason = (date: CalendarDate): ClosedReason | undefined => {
  const utc = utcMidnightOf(date);
  const weekday = utc.getUTCDay();
  if (weekday === 0 || weekday === 6) return "weekend";
  if (isBankYearEndHoliday(utc.getUTCMonth() + 1, utc.getUTCDate())) return "bank-holiday";
  if (Object.hasOwn(holidayJp.holidays, date)) return "public-holiday";
  return undefined;
};

export const isBusinessDay = (date: CalendarDate): boolean => closedReason(date) === undefined;

/** The first business day strictly after `date`. */
export const nextBusinessDay = (date: CalendarDate): CalendarDate => {
  let day = addCalendarDays(date, 1);
  while (!isBusinessDay(day)) day = addCalendarDays(day, 1);
  return day;
};

/** The business day `count` business days after `date` (count ≥ 0; 0 gives `date` itself if open, else the next). */
export const addBusinessDays = (date: CalendarDate, count: number): CalendarDate => {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`not a count of days: ${count}`);
  let day = isBusinessDay(date) ? date : nextBusinessDay(date);
  for (let step = 0; step < count; step += 1) day = nextBusinessDay(day);
  return day;
};

/** The number of business days after `from` up to and including `to` (0 when `to` is not after `from`). */
export const businessDaysBetween = (from: CalendarDate, to: CalendarDate): number => {
  let count = 0;
  for (let day = addCalendarDays(from, 1); day <= to; day = addCalendarDays(day, 1)) {
    if (isBusinessDay(day)) count += 1;
  }
  return count;
};
