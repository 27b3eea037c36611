// Reading transfers: one by its ID, and the list, newest first, a page at a time.
//
// Primary course: a principal with `transfers:create` or `transfers:approve` asks; the administrator and
// approvers see every transfer of the contract, a creator without `transfers:approve` its own; a transfer
// it may not see is answered as one that does not exist.

import type { PageRequest } from "#shared/adapters/dynamodb/paging";
import { approvalRefusal } from "#shared/domain/approval-policy";
import {
  approvalsOf,
  currentStatus,
  isCreator,
  seesAllTransfers,
  type Transfer,
  type TransferStatus,
  viewingRefusal,
} from "#shared/domain/transfer";
import type { Caller } from "../caller.ts";
import type { Deps } from "../deps.ts";
import { readVisible, refuseIf } from "./moving.ts";
import { type TransferView, transferView } from "./views.ts";

/** GET /v1/transfers/{transferId}. */
export const getTransfer = async (deps: Deps, caller: Caller, transferId: string): Promise<TransferView> => {
  refuseIf(viewingRefusal(caller.principal));
  return transferView(await readVisible(deps, caller, transferId), deps.clock.now(), caller.principal);
};

/** What the list may be narrowed to: a status (as of now), and those awaiting the caller's approval. */
export interface TransferFilter {
  status?: TransferStatus | undefined;
  awaiting?: "me" | undefined;
}

/** Whether the caller may give the transfer's next approval now. */
const awaitsApprovalOf = (transfer: Transfer, caller: Caller, now: number): boolean => {
  if (currentStatus(transfer, now) !== "awaiting-approval") return false;
  const approvals = approvalsOf(transfer);
  return (
    approvals !== undefined &&
    approvalRefusal({ created: transfer.created, approvals }, caller.principal) === undefined
  );
};

/**
 * GET /v1/transfers: newest first, `limit` a page. The administrator and approvers get every transfer of
 * the contract; a creator without `transfers:approve` its own (from gsi1, by creator). Narrowed by
 * `status`, or to those awaiting the caller's approval (`awaiting=me`), a page may hold fewer than
 * `limit` while its cursor says more may follow.
 */
export const listTransfers = async (
  deps: Deps,
  caller: Caller,
  page: PageRequest = {},
  filter: TransferFilter = {},
): Promise<{ items: TransferView[]; cursor?: string }> => {
  refuseIf(viewingRefusal(caller.principal));
  const all = seesAllTransfers(caller.principal);
  const now = deps.clock.now();
  const { status, awaiting } = filter;
  const keep =
    status || awaiting
      ? (transfer: Transfer) =>
          (!status || currentStatus(transfer, now) === status) &&
          (!awaiting || awaitsApprovalOf(transfer, caller, now))
      : undefined;
  const { transfers, cursor } = await deps.transfers.transfersPage(
    caller.contract.contractId,
    all ? undefined : caller.principal,
    page,
    keep,
  );
  // A principal stored without an instance ID lists under the key it always had, where a former holder
  // of its user ID may have left transfers (instance.ts): those are not shown, and the cursor still moves on.
  const shown = all ? transfers : transfers.filter((transfer) => isCreator(transfer, caller.principal));
  return {
    items: shown.map((transfer) => transferView(transfer, now, caller.principal)),
    ...(cursor ? { cursor } : {}),
  };
};
