// What the benches measure with: the DynamoDB requests a piece of work sends, grouped into round trips
// (requests that overlap in time share one), and medians.
import { type Table, TransactionCanceledException } from "#shared/adapters/dynamodb/client";
import { aroundRequests } from "../local/table.ts";

export interface Call {
  command: string;
  start: number;
  end: number;
  /** A transaction DynamoDB cancelled because a concurrent one held an item. */
  conflict: boolean;
}

type Timed = Pick<Call, "command" | "start" | "end">;

/**
 * The benches' tables have no stream: none of them reads it, and on DynamoDB Local each request on a
 * table with a stream looks through every stream record written so far (createTableInput), a cost AWS
 * does not add to a request.
 */
export const benchTable = { stream: false } as const;

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** Requests grouped into round trips: requests that overlap in time share one. */
export const roundTripsOf = (calls: readonly Timed[]): string[][] => {
  const trips: string[][] = [];
  let openUntil = -1;
  for (const call of [...calls].sort((a, b) => a.start - b.start)) {
    const name = call.command;
    if (call.start >= openUntil || trips.length === 0) trips.push([name]);
    else trips.at(-1)?.push(name);
    openUntil = Math.max(openUntil, call.end);
  }
  return trips;
};

export const describeTrips = (calls: readonly Timed[]) => {
  const trips = roundTripsOf(calls);
  return `${calls.length} requests, ${trips.length} round trips: ${trips.map((trip) => trip.join(" ∥ ")).join(" → ")}`;
};

/** Records every request the table's client sends from now on, into the list it returns. */
export const recordCalls = (table: Table): Call[] => {
  const calls: Call[] = [];
  aroundRequests(table, async (command, send) => {
    const call: Call = { command: command.operation, start: performance.now(), end: 0, conflict: false };
    try {
      return await send();
    } catch (error) {
      call.conflict =
        error instanceof TransactionCanceledException &&
        (error.CancellationReasons ?? []).some((reason) => reason.Code === "TransactionConflict");
      throw error;
    } finally {
      call.end = performance.now();
      calls.push(call);
    }
  });
  return calls;
};
