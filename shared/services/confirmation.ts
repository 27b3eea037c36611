// Confirming a change (design §3): the check of the caller's own PIN under its strike count that every
// changing request passes, the transaction code that signs a transfer, and the one write that records
// the confirmed change with its strike reset, audit and mails.
import { verifyTransactionCode } from "#shared/adapters/crypto/ocra";
import { verifyAndRehash, verifyNobody } from "#shared/adapters/crypto/secret-hash";
import { totpSecretKey } from "#shared/adapters/crypto/totp";
import type { TransactItem } from "#shared/adapters/dynamodb/records";
import type { CancellationReason, CancellationReasons } from "#shared/adapters/dynamodb/retry";
import type { AlsoOnPrincipal } from "#shared/adapters/dynamodb/strikes";
import type { Principal } from "#shared/domain/model";
import { tokenUsable } from "#shared/domain/one-time-passwords";
import { Refusal } from "#shared/domain/refusal";
import { auditOrigin, type Caller } from "./caller.ts";
import type { Deps } from "./deps.ts";
import type { OwnPin } from "./ports.ts";
import { tokenContext, tokenStopped } from "./software-token.ts";
import { checkSecret, clearStrikes, stoppedRefusal } from "./strikes.ts";

export type { OwnPin };

export interface OwnPinCheck {
  /** The audit action of the operation the PIN was given for; a wrong PIN is recorded under it. */
  action: string;
  /**
   * The caller's change to its own principal item, made by the returned item: a transaction may
   * touch an item only once, and the strike reset already touches the principal.
   */
  also?: AlsoOnPrincipal;
}

const wrongPin = (kind: OwnPin, attemptsLeft: number) =>
  new Refusal(
    "invalid-credentials",
    kind === "confirmationPin" ? "The confirmation PIN is not correct." : "The current PIN is not correct.",
    // Inside a session (403): the caller is known, so it may be told how many wrong entries are left
    // before the lock.
    { extensions: { attemptsLeft } },
  );

/**
 * Checks one of the caller's own PINs under the 7-strike rule: a strike is reserved before the PIN is
 * compared; a wrong PIN keeps it (the 7th locks) and is refused with 403; a stopped principal gets 423
 * and never learns whether the PIN was right. Returns the principal as just read.
 */
export const verifyOwnPin = async (
  deps: Deps,
  caller: Caller,
  kind: OwnPin,
  value: string,
  action: string,
): Promise<{ principal: Principal; strikes: number; rehash?: string }> => {
  const { contract, principal } = caller;
  const { pepper } = await deps.keys();
  let rehash: string | undefined;
  const checked = await checkSecret(deps, {
    contract,
    contractId: contract.contractId,
    userId: principal.userId,
    kind,
    verify: async (current) => {
      const stored = current.secrets[kind];
      if (!stored) return { right: await verifyNobody(pepper, value, deps.secretHashing) };
      const verdict = await verifyAndRehash(pepper, value, stored.hash, deps.secretHashing);
      rehash = verdict.rehash;
      return { right: verdict.right };
    },
    failure: { action, ...auditOrigin(caller) },
    wrong: (attemptsLeft) => wrongPin(kind, attemptsLeft),
    unknown: () => new Refusal("unauthenticated", "The session is not valid. Log on again."),
  });
  return { ...checked, ...(rehash ? { rehash } : {}) };
};

/**
 * `also` plus the replacement of an own PIN's hash of an older algorithm or cost, so the write that
 * records the right entry also upgrades the hash.
 */
const withRehash = (
  deps: Pick<Deps, "principals">,
  kind: OwnPin,
  rehash: string | undefined,
  also: AlsoOnPrincipal = {},
): AlsoOnPrincipal => (rehash ? deps.principals.pinRehashed(kind, rehash, also) : also);

/** A standalone strike reset, for a right PIN whose change was then refused for another reason. */
export const clearStrikesNow = async (deps: Deps, principal: Principal, kind: OwnPin): Promise<void> => {
  await deps.principals.clearStrikesAlone(clearStrikes(deps, principal, kind, deps.clock.now()));
};

/**
 * The confirmation PIN of a changing request (design §3). Returns the transaction item that resets the
 * caller's confirmation-PIN strikes, to be written with the change by `commitConfirmed`, so the reset,
 * the change, its audit and its mails are one atomic write.
 */
export const confirm = async (
  deps: Deps,
  caller: Caller,
  confirmationPin: string,
  check: OwnPinCheck = { action: "confirmation" },
): Promise<TransactItem> => {
  const { principal, rehash } = await verifyOwnPin(
    deps,
    caller,
    "confirmationPin",
    confirmationPin,
    check.action,
  );
  return clearStrikes(
    deps,
    principal,
    "confirmationPin",
    deps.clock.now(),
    withRehash(deps, "confirmationPin", rehash, check.also),
  );
};

/**
 * Writes a confirmed change: the strike reset (`confirmed`: from `confirm`, or a `clearStrikes` item
 * carrying the change to the caller's own principal after `verifyOwnPin`), a check
 * that the contract still runs, and the change's own items, in one transaction. When the change's own
 * conditions fail, `refuse` names the refusal (it sees the reasons of `items` only); the PIN was right,
 * so its count is reset all the same.
 */
export const commitConfirmed = async (
  deps: Deps,
  caller: Caller,
  kind: OwnPin,
  confirmed: TransactItem,
  items: TransactItem[],
  refuse?: (reasons: CancellationReasons) => Refusal | undefined,
  /**
   * A change to the contract item itself, conditioned on the contract still running; it takes the place
   * of the separate check (a transaction may touch an item only once).
   */
  contractChange?: TransactItem,
  /**
   * Where the strike reset or the contract item carries a condition of the change's own (a transfer's
   * limits), what its failure means while the principal and contract still run; `undefined` leaves it
   * a stop. Reads the items `ReturnValuesOnConditionCheckFailure` returned.
   */
  ownRefusal?: (
    principal: CancellationReason | undefined,
    contract: CancellationReason | undefined,
  ) => Refusal | undefined,
): Promise<void> => {
  const reasons = await deps.transactions.writeTogether([
    confirmed,
    // Checked in every change: a contract stopped since the request began takes the change down with it.
    contractChange ?? deps.principals.contractStillActive(caller.contract.contractId),
    ...items,
  ]);
  if (!reasons) return;
  const failed = (index: number) => reasons[index]?.Code === "ConditionalCheckFailed";
  const own = failed(0) || failed(1) ? ownRefusal?.(reasons[0], reasons[1]) : undefined;
  if (own) {
    // The PIN was right and nobody is stopped: the change alone is refused.
    await clearStrikesNow(deps, caller.principal, kind);
    throw own;
  }
  if (failed(0)) {
    // The principal's item failed its conditions: stopped, or (where the change asked for it) its
    // session generation moved on, which ended the caller's session.
    const seen = deps.principals.toPrincipal(deps.transactions.itemOf(reasons[0]));
    if (seen?.status === "active" && seen.sessionGeneration !== caller.session.sessionGeneration)
      throw sessionEnded();
    throw stoppedRefusal(undefined, caller.principal);
  }
  await clearStrikesNow(deps, caller.principal, kind);
  if (failed(1)) throw stoppedRefusal({ ...caller.contract, status: "stopped" }, caller.principal);
  const refusal = refuse?.(reasons.slice(2));
  if (refusal) throw refusal;
  if (reasons.some((reason) => reason.Code === "TransactionConflict"))
    throw new Refusal(
      "conflict",
      "Another change to the same data was being made at the same moment. Try again.",
    );
  throw deps.transactions.cancelled(reasons);
};

/** A change made in a session that a PIN change or reset ended meanwhile. */
export const sessionEnded = () =>
  new Refusal(
    "unauthenticated",
    "The session ended: the PINs were changed or reset meanwhile. Log on again.",
  );

export interface TransactionConfirmation {
  confirmationPin: string;
  /** OCRA over `question` with the caller's own token. */
  code: string;
  /** The question derived from the stored transfer about to change (transfer-question.ts). */
  question: string;
  /** The audit action a wrong entry is recorded under. */
  action: string;
}

/**
 * The confirmation PIN and then the transaction code of a transfer's signature or approval, each under
 * its own strike count. Returns the transaction item that clears both counts, to be written with the
 * change by `commitConfirmed(deps, caller, "confirmationPin", item, …)`. The code is checked against
 * the stored transfer's question only, so a code computed for other details never matches; it is
 * single-use because the transfer's state change is conditional.
 */
export const confirmTransaction = async (
  deps: Deps,
  caller: Caller,
  command: TransactionConfirmation,
): Promise<TransactItem> => {
  const { principal, rehash } = await verifyOwnPin(
    deps,
    caller,
    "confirmationPin",
    command.confirmationPin,
    command.action,
  );
  const token = principal.token;
  if (token?.status === "stopped" || !tokenUsable(token, deps.clock.now())) {
    await clearStrikesNow(deps, principal, "confirmationPin");
    if (token?.status === "stopped") throw tokenStopped();
    throw new Refusal("conflict", "Signing a transfer needs an active software token: register one first.");
  }
  const box = await deps.secretBox();
  const now = deps.clock.now();
  const checked = await checkSecret(deps, {
    contract: caller.contract,
    contractId: caller.contract.contractId,
    userId: principal.userId,
    kind: "transactionCode",
    verify: async (current) => {
      if (!current.token || current.token.tokenId !== token?.tokenId)
        throw new Refusal("conflict", "The token changed meanwhile. Try again.");
      const secret = (await box.open(current.token.secret, tokenContext(current))).toString("utf8");
      const verdict = verifyTransactionCode({
        key: totpSecretKey(secret),
        question: command.question,
        code: command.code,
        now,
      });
      return verdict.ok ? { right: true } : { right: false, details: { reason: verdict.reason } };
    },
    // The PIN was right: its count is cleared with the code's failure.
    failure: {
      action: command.action,
      ...auditOrigin(caller),
      alsoSet: { expression: "strikes.confirmationPin = :zeroPin", values: { ":zeroPin": 0 } },
    },
    wrong: (attemptsLeft) =>
      new Refusal("invalid-credentials", "The transaction code is not correct.", {
        extensions: { attemptsLeft },
      }),
    unknown: () => new Refusal("unauthenticated", "The session is not valid. Log on again."),
  });
  return clearStrikes(
    deps,
    checked.principal,
    ["confirmationPin", "transactionCode"],
    now,
    withRehash(deps, "confirmationPin", rehash),
  );
};
