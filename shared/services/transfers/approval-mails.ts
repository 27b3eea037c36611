// The Select E-mail event `approval-requested` (design §11): when a transfer comes to await an approval,
// the principals who may give that approval — and chose the event — are mailed, in the same write.
import type { TransactItem } from "#shared/adapters/dynamodb/transfers/index";
import { isLastSlot, nextApprovers } from "#shared/domain/approval-policy";
import { type Principal, principalLabel } from "#shared/domain/model";
import { approvalsOf, type Transfer } from "#shared/domain/transfer";
import type { Deps } from "../deps.ts";

/**
 * A transaction holds at most 100 items; the mails are capped well below, so a contract with very many
 * approvers still gets its approval written (the first ones by user ID are mailed).
 */
export const approvalMailCap = 50;

/**
 * The mails to whoever may give the transfer's next approval (for an ordered tier, that slot's
 * candidates only: not the administrator before its 最終承認), each one's own choice of the event
 * permitting; none once every approval is given.
 */
export const approvalRequestMails = (
  deps: Deps,
  transfer: Transfer,
  principals: readonly Principal[],
  now: number,
): TransactItem[] => {
  const approvals = approvalsOf(transfer);
  if (!approvals) return [];
  const slot = isLastSlot(approvals) ? "last" : "next";
  return nextApprovers({ created: transfer.created, approvals }, principals)
    .filter((principal) => principal.notifications.includes("approval-requested"))
    .sort((a, b) => (a.userId ?? "").localeCompare(b.userId ?? ""))
    .slice(0, approvalMailCap)
    .map((principal) =>
      deps.mail.outboxed(now, {
        to: principal.email,
        template: "approval-requested",
        contractId: transfer.contractId,
        kind: "optional",
        params: {
          principal: principalLabel(transfer.created),
          transferId: transfer.transferId,
          amount: transfer.amount,
          // The template shows only the last four digits of each.
          fromAccount: transfer.from.accountNumber,
          toAccount: transfer.payee.accountNumber,
          slot,
          at: now,
        },
      }),
    );
};
