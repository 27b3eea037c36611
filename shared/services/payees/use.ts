// A payee in a transfer (design §10): which payee a new transfer goes to — one of the book by its ID, usable
// today and within the first-use cap, or one typed into the transfer where the contract allows it — and the
// execution's conditional record of the payee's first use.

import type { TransactItem } from "#shared/adapters/dynamodb/records";
import type { CancellationReason } from "#shared/adapters/dynamodb/retry";
import type { Contract } from "#shared/domain/model";
import {
  adHocRefusal,
  detailsOf,
  firstUseRefusal,
  firstUseSettingsOf,
  isAbandoned,
  noSuchPayee,
  type Payee,
  type PayeeReference,
  payeeChangedMeanwhile,
  payeeUseRefusal,
} from "#shared/domain/payee";
import type { Refusal } from "#shared/domain/refusal";
import type { TransferStatus } from "#shared/domain/transfer";
import type { TransferPayee } from "#shared/domain/transfer-question";
import type { Deps } from "../deps.ts";

/** The payee a transfer names: typed into it, or one of the book by its ID. */
export type PayeeChoice =
  | { payee: TransferPayee; payeeId?: undefined }
  | { payeeId: string; payee?: undefined };

export interface ResolvedPayee {
  payee: TransferPayee;
  /** Set when the payee comes from the book. */
  reference?: PayeeReference;
}

/** The payee of the book a transfer names, read (with the transfer's other reads); nothing for an ad-hoc one. */
export const readChosenPayee = (
  deps: Deps,
  contract: Contract,
  choice: PayeeChoice,
): Promise<Payee | undefined> =>
  choice.payeeId === undefined
    ? Promise.resolve(undefined)
    : deps.payees.read(contract.contractId, choice.payeeId);

/**
 * The payee of a new transfer of `amount`, or the refusal: an ad-hoc payee on a contract that refuses them
 * (422 ad-hoc-payee-refused); a payee of the book (`read`: as `readChosenPayee` gave it) that is not the
 * contract's (404), awaits confirmation (409), is in its cooling-off (422 payee-cooling-off) or would be
 * first used above the cap (422 first-use-limit). The cap is enforced again at execution.
 */
export const payeeForTransfer = (
  deps: Deps,
  contract: Contract,
  choice: PayeeChoice,
  read: Payee | undefined,
  amount: number,
): ResolvedPayee => {
  const settings = firstUseSettingsOf(contract);
  if (choice.payeeId === undefined) {
    const refusal = adHocRefusal(settings);
    if (refusal) throw refusal;
    return { payee: choice.payee };
  }
  const now = deps.clock.now();
  const payee = read;
  if (!payee || payee.payeeId !== choice.payeeId || isAbandoned(payee, now)) throw noSuchPayee();
  const refusal = payeeUseRefusal(payee, settings, amount, now);
  if (refusal) throw refusal;
  return { payee: detailsOf(payee), reference: { payeeId: payee.payeeId, revision: payee.revision } };
};

/**
 * The execution's item for a transfer from the payee book: the payee is still at the revision the
 * transfer was created for (a change or deletion since refuses it, 409), and above the first-use cap an
 * earlier transfer to it must have executed (422 first-use-limit); records the payee's first use.
 */
export const payeeUseStep = (
  deps: Deps,
  contract: Contract,
  transfer: { payeeRef?: PayeeReference | undefined; amount: number; status: TransferStatus },
  now: number,
): { item: TransactItem; refusal: (reason: CancellationReason) => Refusal }[] => {
  const reference = transfer.payeeRef;
  if (!reference) return [];
  const cap = firstUseSettingsOf(contract).firstUseLimit;
  return [
    {
      item: deps.payees.use(contract.contractId, reference, transfer.amount, cap, now),
      refusal: (reason) =>
        deps.payees.useFailure(deps.transactions.itemOf(reason), reference) === "first-use" && cap !== null
          ? firstUseRefusal(cap)
          : payeeChangedMeanwhile(transfer.status),
    },
  ];
};
