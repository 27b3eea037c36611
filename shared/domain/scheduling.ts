// Designated dates of single transfers (予約振込): which dates a transfer may be scheduled for, and when a
// scheduled transfer is due. A date is a JST business day (business-days.ts), today or later, at most the
// contract's window ahead (by default 60 calendar days, as Japanese banks' corporate services commonly
// allow). Today is no schedule: a transfer for today executes when it is authorised, as one without a date.
// The check of a chosen date, which needs the holiday calendar, is execution-date.ts.
import { type CalendarDate, jstDateOf } from "./jst-dates.ts";

/** How many calendar days ahead a transfer may be scheduled, unless the contract sets its own window. */
export const defaultExecutionWindowDays = 60;
export const executionWindowRange = { min: 0, max: 365 } as const;

/** Why a scheduled transfer did not execute on its date: shown on the transfer, audited and mailed. */
export type TransferFailure =
  | "insufficient-funds"
  | "limit-exceeded"
  | "creator-unavailable"
  | "contract-stopped"
  /** The payee of the book it was created for was changed or deleted before its date. */
  | "payee-changed";

/** Whether a transfer with this designated date waits for it after authorisation, instead of executing. */
export const waitsForItsDate = (date: CalendarDate | undefined, now: number): date is CalendarDate =>
  date !== undefined && date > jstDateOf(now);

/** Whether a transfer scheduled for `date` is due at `now` (its day has come, in JST). */
export const isDue = (date: CalendarDate, now: number): boolean => date <= jstDateOf(now);
