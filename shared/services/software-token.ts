// What every use of the principal's software token shares: the context its secret is sealed under,
// the answer to a stopped token, the security mails about it, and the check of a one-time password
// from it under the 7-strike rule, made single-use by the write that records its step.

import type { SecretContext } from "#shared/adapters/crypto/secret-box";
import { verifyTotp } from "#shared/adapters/crypto/totp";
import type { Mail, TransactItem } from "#shared/adapters/dynamodb/records";
import type { Principal, SoftwareToken, TokenStatus } from "#shared/domain/model";
import { principalLabel } from "#shared/domain/model";
import { Refusal } from "#shared/domain/refusal";
import { auditOrigin, type Caller, logonRecordOf, securityMails } from "./caller.ts";
import type { Deps } from "./deps.ts";
import { checkSecret, clearStrikes } from "./strikes.ts";

export const tokenContext = (principal: Pick<Principal, "contractId" | "userId">): SecretContext => ({
  contractId: principal.contractId,
  userId: principal.userId,
  purpose: "token-secret",
});

export const tokenStopped = () =>
  new Refusal(
    "locked",
    "The token is stopped after wrong entries. Ask the bank to reset it, then apply again.",
    { extensions: { stopped: "token", resumedBy: "bank" } },
  );

/** The mandatory mails about a principal's token (security-mails.ts). */
export const tokenMails = (
  deps: Deps,
  caller: Pick<Caller, "contract" | "principal">,
  now: number,
  template: Mail["template"],
  params: Mail["params"],
) =>
  securityMails(deps, caller.contract, caller.principal, now, template, {
    principal: principalLabel(caller.principal),
    at: now,
    ...params,
  });

/** A wrong (or replayed) one-time password; after a counted strike, with the wrong entries left before the lock. */
const wrongOneTimePassword = (attemptsLeft?: number) =>
  new Refusal(
    "invalid-credentials",
    "The one-time password is not correct.",
    attemptsLeft === undefined ? {} : { extensions: { attemptsLeft } },
  );

/**
 * A one-time password from the caller's token (the request's `code`), checked under the strike rule: a
 * right one returns its TOTP step to record; a replayed one is a strike, audited as a replay and mailed.
 */
export const checkOneTimePassword = async (
  deps: Deps,
  caller: Caller,
  code: string,
  action: string,
  token: SoftwareToken,
) => {
  let step = -1;
  const box = await deps.secretBox();
  const now = deps.clock.now();
  const { principal } = await checkSecret(deps, {
    contract: caller.contract,
    contractId: caller.contract.contractId,
    userId: caller.principal.userId,
    kind: "otp",
    verify: async (current) => {
      if (current.token?.tokenId !== token.tokenId)
        throw new Refusal("conflict", "The token changed meanwhile. Try again.");
      const secret = (await box.open(current.token.secret, tokenContext(current))).toString("utf8");
      const verdict = await verifyTotp({ secret, code, now, lastUsedStep: current.token.lastUsedStep });
      if (verdict.ok) {
        step = verdict.step;
        return { right: true };
      }
      return {
        right: false,
        details: { reason: verdict.reason },
        alsoWrite:
          verdict.reason === "replayed"
            ? tokenMails(deps, caller, now, "otp-replayed", { tokenId: token.tokenId })
            : [],
      };
    },
    failure: {
      action,
      ...auditOrigin(caller),
      ...(action === "logon.otp" ? failedLogon(deps, caller, now) : {}),
    },
    wrong: wrongOneTimePassword,
    unknown: () => new Refusal("unauthenticated", "The session is not valid. Log on again."),
  });
  return { principal, step, now };
};

/** A wrong one-time password or card answer at logon is a failed logon, shown like a wrong PIN's. */
export const failedLogon = (deps: Pick<Deps, "principals">, caller: Caller, now: number) => ({
  alsoSet: deps.principals.logonFailed(logonRecordOf(caller, now)),
});

/** The one-time password's step recorded with its strike reset: a second request with it fails this condition. */
export const oneTimePasswordAccepted = (
  deps: Deps,
  principal: Principal,
  token: SoftwareToken,
  step: number,
  now: number,
  status: TokenStatus = "active",
  also?: { set?: string; values?: Record<string, unknown> },
) =>
  clearStrikes(
    deps,
    principal,
    "otp",
    now,
    deps.tokens.oneTimePasswordStepRecorded(token.tokenId, step, status, also),
  );

/** A one-time password that was right but lost the race to record its step is a replay: answered as a wrong one. */
export const writeOneTimePasswordAccepted = async (deps: Deps, items: TransactItem[]) => {
  const refused = await deps.transactions.writeTogether(items);
  if (refused?.[0]?.Code === "ConditionalCheckFailed") throw wrongOneTimePassword();
  if (refused) throw deps.transactions.cancelled(refused);
};
