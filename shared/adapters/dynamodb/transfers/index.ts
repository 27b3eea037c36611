// The transfers' storage (design §5): the transfer item and its reads, its moves, an execution's items and
// the Idempotency-Key record. The only code that knows how a transfer is stored.
export { itemOf, type TransactItem, writeTogether } from "../transact.ts";
export * from "./execution.ts";
export * from "./idempotency.ts";
export * from "./items.ts";
export * from "./moves.ts";
export * from "./schedule.ts";
