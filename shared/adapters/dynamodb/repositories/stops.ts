// The stops' repository. Each operation is one of the area's functions, given the table.
import type { StopRepository } from "#shared/services/ports";
import type { Table } from "../client.ts";
import { contractRestarted, contractStop, principalStop } from "../stops.ts";

/** The stops' repository. */
export const dynamoStopRepository = (table: Table): StopRepository => ({
  contractRestarted: (...args) => contractRestarted(table, ...args),
  contractStop: (...args) => contractStop(table, ...args),
  principalStop: (...args) => principalStop(table, ...args),
});
