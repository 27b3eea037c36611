// The software token's life (design §4): issue, provisioning by the token app, activation, renewal,
// cancellation and the bank's reset of a stopped token. Every one-time password and activation password is checked
// under the 7-strike rule (strikes.ts); every change writes its audit item and mails with it.
import { randomInt } from "node:crypto";
import { transactionOcraSuite } from "#shared/adapters/crypto/ocra";
import { hashSecret, verifyNobody, verifySecret } from "#shared/adapters/crypto/secret-hash";
import { generateTotpSecret, otpauthUri } from "#shared/adapters/crypto/totp";
import type { TransactItem } from "#shared/adapters/dynamodb/records";
import {
  provisioningPerContract,
  provisioningPerPrincipal,
  provisioningPerToken,
} from "#shared/domain/attempt-limits";
import type { Principal, SoftwareToken } from "#shared/domain/model";
import { principalLabel } from "#shared/domain/model";
import { tokenExpiry, tokenInRenewalWindow, tokenUsable } from "#shared/domain/one-time-passwords";
import { Refusal } from "#shared/domain/refusal";
import { holdAfterTokenIssue } from "#shared/domain/reset-hold";
import { withinAttemptLimits } from "./attempts.ts";
import { auditOrigin, type Caller, logonRecordOf } from "./caller.ts";
import { commitConfirmed, confirm } from "./confirmation.ts";
import type { Deps } from "./deps.ts";
import { stepDone } from "./logon-steps.ts";
import {
  checkOneTimePassword,
  oneTimePasswordAccepted,
  tokenContext,
  tokenMails,
  tokenStopped,
  writeOneTimePasswordAccepted,
} from "./software-token.ts";
import { checkSecret, clearStrikes, stoppedRefusal } from "./strikes.ts";

const iso = (at: number | undefined) => (at === undefined ? null : new Date(at).toISOString());

/** The token as its owner and the administrator see it: never the secret or the activation password. */
export const tokenView = (token: SoftwareToken | undefined, now: number) =>
  token
    ? {
        status: token.status === "active" && !tokenUsable(token, now) ? ("expired" as const) : token.status,
        serviceId: token.serviceId,
        tokenId: token.tokenId,
        issuedAt: iso(token.issuedAt),
        expiresAt: iso(token.expiresAt),
      }
    : null;

export const tokenWarnings = (principal: Principal, now: number) =>
  tokenInRenewalWindow(principal.token, now)
    ? [{ code: "token-expiring" as const, expiresAt: iso(principal.token?.expiresAt) }]
    : [];

const digits = (length: number) => String(randomInt(10 ** (length - 1), 10 ** length));

export interface IssueTokenCommand {
  /** The mobile address the download link goes to. */
  email: string;
  /** 4 to 8 digits the principal chooses; the token app asks for it once. */
  activationPassword: string;
  confirmationPin: string;
}

/**
 * POST /v1/me/token: a new token replaces any earlier one that is not stopped (re-issue). The
 * secret is sealed at rest; the mobile address gets the service ID and token ID, the principal's
 * address is told a token was issued.
 */
export const issueToken = async (deps: Deps, caller: Caller, command: IssueTokenCommand) => {
  const { contract, principal } = caller;
  if (principal.token?.status === "stopped") throw tokenStopped();
  const now = deps.clock.now();
  const secret = generateTotpSecret();
  const [box, { pepper }] = await Promise.all([deps.secretBox(), deps.keys()]);
  const [sealed, passwordHash] = await Promise.all([
    box.seal(secret, tokenContext(principal)),
    hashSecret(pepper, command.activationPassword, deps.secretHashing),
  ]);
  const token: SoftwareToken = {
    serviceId: digits(8),
    tokenId: digits(10),
    status: "issued",
    secret: sealed,
    activationPassword: { hash: passwordHash, setAt: now },
    mobileEmail: command.email,
    issuedAt: now,
    lastUsedStep: -1,
  };
  // A token issued while the principal is held after an administrator's reset may be in the hands of
  // whoever reset its PINs: the hold starts again from now (decision 011).
  const holdUntil = holdAfterTokenIssue(contract, principal, now);
  const confirmed = await confirm(deps, caller, command.confirmationPin, {
    action: "token.issued",
    also: deps.tokens.tokenIssued(token, holdUntil),
  });
  const earlier = principal.token;
  await commitConfirmed(deps, caller, "confirmationPin", confirmed, [
    deps.tokens.tokenPointerPut(principal, token),
    ...(earlier ? [deps.tokens.tokenPointerDelete(earlier.tokenId)] : []),
    deps.audit.entry(contract.contractId, now, {
      action: "token.issued",
      actor: principalLabel(principal),
      outcome: "succeeded",
      ...auditOrigin(caller),
      details: {
        tokenId: token.tokenId,
        reissue: earlier !== undefined,
        ...(holdUntil ? { holdUntil } : {}),
      },
    }),
    deps.mail.outboxed(now, {
      to: command.email,
      template: "token-download",
      contractId: contract.contractId,
      kind: "security",
      params: { serviceId: token.serviceId, tokenId: token.tokenId, at: now },
    }),
    ...tokenMails(deps, caller, now, "token-issued", {
      tokenId: token.tokenId,
      ...(holdUntil ? { holdUntil } : {}),
    }),
  ]);
  return { serviceId: token.serviceId, tokenId: token.tokenId, status: "issued" as const };
};

export interface ProvisionCommand {
  serviceId: string;
  tokenId: string;
  activationPassword: string;
  sourceIp: string;
}

const provisioningRefused = () =>
  new Refusal("invalid-credentials", "The service ID, token ID or activation password is not correct.");

/**
 * POST /v1/token-provisioning (public, the token app): with the right service ID, token ID and
 * activation password the secret leaves the server, exactly once; afterwards 410. A wrong activation
 * password is a strike against the token's principal; unknown IDs cost the same work and get the same answer.
 *
 * Attempts are limited per token ID sent (counted before the lookup, whether it exists or not) and, once
 * the IDs name a token, per its principal and per its contract (provisioningPer…). An attempt over a
 * limit is refused before the password is looked at — so it costs no strike, and the right password
 * does not help — with the very answer of wrong IDs, after the same hashing work. Not a 429: the
 * principal's and the contract's counts exist only for real tokens, so an answer of its own would tell
 * whoever floods a pair of IDs that they are real, which is what keeping them out of reach is for. The
 * person who really is over the limit reads "not correct" and can try again in the next window.
 */
export const provisionToken = async (deps: Deps, command: ProvisionCommand) => {
  const [tokenWithin, owner, { pepper }] = await Promise.all([
    withinAttemptLimits(deps, [{ limit: provisioningPerToken, subject: { tokenId: command.tokenId } }]),
    deps.tokens.getTokenOwner(command.tokenId, command.serviceId),
    deps.keys(),
  ]);
  const within =
    tokenWithin &&
    owner !== undefined &&
    (await withinAttemptLimits(deps, [
      { limit: provisioningPerPrincipal, subject: { contractId: owner.contractId, userId: owner.userId } },
      { limit: provisioningPerContract, subject: { contractId: owner.contractId } },
    ]));
  if (!within || !owner) {
    await verifyNobody(pepper, command.activationPassword, deps.secretHashing);
    throw provisioningRefused();
  }
  const { contractId, userId } = owner;
  const contract = await deps.contracts.getContract(contractId);
  if (!contract) throw provisioningRefused();
  if (contract.status !== "active") throw stoppedRefusal(contract, undefined);
  const { principal } = await checkSecret(deps, {
    contract,
    contractId,
    userId,
    kind: "activationPassword",
    verify: async (current) => {
      const token = current.token;
      if (token?.tokenId !== command.tokenId) throw provisioningRefused();
      if (token.status !== "issued")
        throw new Refusal(
          "gone",
          "This token was already set up. To set up another phone, apply for a new token.",
        );
      return { right: await verifySecret(pepper, command.activationPassword, token.activationPassword.hash) };
    },
    failure: { action: "token.provisioned", sourceIp: command.sourceIp },
    wrong: provisioningRefused,
    unknown: provisioningRefused,
  });
  const token = principal.token as SoftwareToken;
  const secret = (await (await deps.secretBox()).open(token.secret, tokenContext(principal))).toString(
    "utf8",
  );
  const now = deps.clock.now();
  const refused = await deps.transactions.writeTogether([
    clearStrikes(deps, principal, "activationPassword", now, deps.tokens.tokenProvisioned(token.tokenId)),
    deps.audit.entry(contractId, now, {
      action: "token.provisioned",
      actor: principalLabel(principal),
      outcome: "succeeded",
      sourceIp: command.sourceIp,
      details: { tokenId: token.tokenId },
    }),
  ]);
  // Another request took it first (or the principal was stopped): the secret goes out once at most.
  if (refused) throw new Refusal("gone", "This token was already set up.");
  return {
    otpauthUri: otpauthUri({ secret, contractId, userId }),
    ocraSuite: transactionOcraSuite,
    secret,
  };
};

/** POST /v1/me/token/activate: a first one-time password proves the app holds the secret; logons need them from now on. */
export const activateToken = async (deps: Deps, caller: Caller, command: { code: string }) => {
  const token = caller.principal.token;
  if (token?.status === "stopped") throw tokenStopped();
  if (token?.status !== "provisioned")
    throw new Refusal(
      "conflict",
      token?.status === "active"
        ? "The token is already active."
        : "There is no token waiting for activation: apply for one, then set it up in the token app.",
    );
  const { principal, step, now } = await checkOneTimePassword(
    deps,
    caller,
    command.code,
    "token.activated",
    token,
  );
  const expiresAt = tokenExpiry(now);
  const registered = stepDone(deps, caller, "register-token");
  const completed = registered.completes
    ? deps.principals.logonSucceeded(logonRecordOf(caller, now))
    : undefined;
  const items: TransactItem[] = [
    oneTimePasswordAccepted(
      deps,
      principal,
      token,
      step,
      now,
      "provisioned",
      deps.tokens.tokenActivated(expiresAt, completed),
    ),
    deps.audit.entry(caller.contract.contractId, now, {
      action: "token.activated",
      actor: principalLabel(principal),
      outcome: "succeeded",
      ...auditOrigin(caller),
      details: { tokenId: token.tokenId },
    }),
    ...tokenMails(deps, caller, now, "token-activated", { tokenId: token.tokenId, expiresAt }),
  ];
  // Activation completes the session's register-token step.
  if (caller.session.pending.includes("register-token")) items.push(registered.item);
  await writeOneTimePasswordAccepted(deps, items);
  return {
    status: "active" as const,
    expiresAt: new Date(expiresAt).toISOString(),
    pending: registered.remaining[0] ?? null,
  };
};

/** POST /v1/me/token/renew: inside the last 30 days, a one-time password extends the token by 5 years from now. */
export const renewToken = async (deps: Deps, caller: Caller, command: { code: string }) => {
  const token = caller.principal.token;
  if (token?.status === "stopped") throw tokenStopped();
  if (!token || !tokenInRenewalWindow(token, deps.clock.now()))
    throw new Refusal("conflict", "Renewal opens 30 days before the token expires.");
  const { principal, step, now } = await checkOneTimePassword(
    deps,
    caller,
    command.code,
    "token.renewed",
    token,
  );
  const expiresAt = tokenExpiry(now);
  await writeOneTimePasswordAccepted(deps, [
    oneTimePasswordAccepted(deps, principal, token, step, now, "active", deps.tokens.tokenRenewed(expiresAt)),
    deps.audit.entry(caller.contract.contractId, now, {
      action: "token.renewed",
      actor: principalLabel(principal),
      outcome: "succeeded",
      ...auditOrigin(caller),
      details: { tokenId: token.tokenId },
    }),
    ...tokenMails(deps, caller, now, "token-renewed", { tokenId: token.tokenId, expiresAt }),
  ]);
  return { expiresAt: new Date(expiresAt).toISOString() };
};

/** DELETE /v1/me/token (利用解除): before changing phones. A stopped token is the bank's to reset. */
export const cancelToken = async (deps: Deps, caller: Caller, command: { confirmationPin: string }) => {
  const token = caller.principal.token;
  if (!token) throw new Refusal("conflict", "There is no token to cancel.");
  if (token.status === "stopped") throw tokenStopped();
  const confirmed = await confirm(deps, caller, command.confirmationPin, {
    action: "token.cancelled",
    also: deps.tokens.tokenRemoved(),
  });
  const now = deps.clock.now();
  await commitConfirmed(deps, caller, "confirmationPin", confirmed, [
    deps.tokens.tokenPointerDelete(token.tokenId),
    deps.audit.entry(caller.contract.contractId, now, {
      action: "token.cancelled",
      actor: principalLabel(caller.principal),
      outcome: "succeeded",
      ...auditOrigin(caller),
      details: { tokenId: token.tokenId },
    }),
    ...tokenMails(deps, caller, now, "token-cancelled", { tokenId: token.tokenId }),
  ]);
};

/** POST /v1/ops/contracts/{id}/tokens/reset: the bank clears a stopped token so a new one can be issued. */
export const resetToken = async (deps: Deps, contractId: string, userId: string | null) => {
  const { contract, principal } = await deps.principals.getContractAndPrincipal(contractId, userId);
  if (!contract || !principal) throw new Refusal("not-found", "There is no such contract or user.");
  const token = principal.token;
  if (token?.status !== "stopped") throw new Refusal("conflict", "There is no stopped token to reset.");
  const now = deps.clock.now();
  const label = principalLabel(principal);
  await deps.transactions.writeAll([
    deps.tokens.stoppedTokenReset(principal, token.tokenId, now),
    deps.tokens.tokenPointerDelete(token.tokenId),
    deps.audit.entry(contractId, now, {
      action: "token.reset",
      actor: "ops",
      target: label,
      outcome: "succeeded",
      details: { tokenId: token.tokenId },
    }),
    ...tokenMails(deps, { contract, principal }, now, "token-reset", { tokenId: token.tokenId }),
  ]);
  return { contractId, userId: principal.userId, token: null };
};
