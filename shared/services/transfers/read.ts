// Reading transfers: one by its ID, and the list, newest first, a page at a time.
//
// Primary course: a principal with `transfers:create` or `transfers:approve` asks; the administrator and
// approvers see every transfer of the contract, a creator without `transfers:approve` its own; a transfer
// it may not see is answered as one that does not exist.

import type { PageRequest } from "#shared/adapters/dynamodb/paging";
import { transfersPage } from "#shared/adapters/dynamodb/transfers/index";
import { isCreator, seesAllTransfers, viewingRefusal } from "#shared/domain/transfer";
import type { Caller } from "../caller.ts";
import type { Deps } from "../deps.ts";
import { readVisible, refuseIf } from "./moving.ts";
import { type TransferView, transferView } from "./views.ts";

/** GET /v1/transfers/{transferId}. */
export const getTransfer = async (deps: Deps, caller: Caller, transferId: string): Promise<TransferView> => {
  refuseIf(viewingRefusal(caller.principal));
  return transferView(await readVisible(deps, caller, transferId), deps.clock.now());
};

/**
 * GET /v1/transfers: newest first, `limit` a page. The administrator and approvers get every transfer of
 * the contract; a creator without `transfers:approve` its own (from gsi1, by creator).
 */
export const listTransfers = async (
  deps: Deps,
  caller: Caller,
  page: PageRequest = {},
): Promise<{ items: TransferView[]; cursor?: string }> => {
  refuseIf(viewingRefusal(caller.principal));
  const all = seesAllTransfers(caller.principal);
  const { transfers, cursor } = await transfersPage(
    deps.table,
    caller.contract.contractId,
    all ? undefined : caller.principal,
    page,
  );
  const now = deps.clock.now();
  // A principal stored without an instance ID lists under the key it always had, where a former holder
  // of its user ID may have left transfers (instance.ts): those are not shown, and the cursor still moves on.
  const shown = all ? transfers : transfers.filter((transfer) => isCreator(transfer, caller.principal));
  return { items: shown.map((transfer) => transferView(transfer, now)), ...(cursor ? { cursor } : {}) };
};
