// What follows a transfer's last authorisation (its signature, or the approval it needed): executed now,
// or, dated after today, scheduled for its date. The one place that decides between the two.
import type { TransactItem } from "#shared/adapters/dynamodb/transfers/index";
import { waitsForItsDate } from "#shared/domain/scheduling";
import type { Transfer } from "#shared/domain/transfer";
import type { Caller } from "../caller.ts";
import type { Deps } from "../deps.ts";
import { type Charged, type ExecutedBy, executeTransfer } from "./execution.ts";
import { scheduleTransfer } from "./scheduled.ts";

export const handOff = async (
  deps: Deps,
  caller: Caller,
  confirmed: TransactItem,
  transfer: Transfer,
  charged: Charged,
  how: ExecutedBy,
): Promise<"executed" | "scheduled"> => {
  if (waitsForItsDate(transfer.executionDate, deps.clock.now())) {
    await scheduleTransfer(deps, caller, confirmed, transfer, charged.creator, how);
    return "scheduled";
  }
  await executeTransfer(deps, caller, confirmed, transfer, charged, how);
  return "executed";
};
