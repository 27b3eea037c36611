// Software tokens and the customer card (design §4): issue, provisioning by the token app, activation,
// the otp and card logon steps, renewal, cancellation, the bank's reset of a stopped token, and the
// transaction authentication that signs transfers. Every code, card answer and activation password is
// checked under the 7-strike rule (strikes.ts); every change writes its audit item and mails with it.
import { randomInt, timingSafeEqual } from "node:crypto";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { transactionOcraSuite } from "#shared/adapters/crypto/ocra";
import type { SecretContext } from "#shared/adapters/crypto/secret-box";
import { hashSecret, verifyNobody, verifySecret } from "#shared/adapters/crypto/secret-hash";
import { generateTotpSecret, otpauthUri, verifyTotp } from "#shared/adapters/crypto/totp";
import { keys } from "#shared/adapters/dynamodb/keys";
import { getContract, getContractAndPrincipal, getPrincipal } from "#shared/adapters/dynamodb/repository";
import {
  provisioningPerContract,
  provisioningPerPrincipal,
  provisioningPerToken,
} from "#shared/domain/attempt-limits";
import type { PendingStep, Principal, SoftwareToken } from "#shared/domain/model";
import { principalLabel } from "#shared/domain/model";
import {
  cardCellNames,
  cardChallengeAnswerable,
  tokenExpiry,
  tokenInRenewalWindow,
  tokenUsable,
} from "#shared/domain/one-time-passwords";
import { holdAfterTokenIssue } from "#shared/domain/reset-hold";
import { Problem } from "#shared/http/problems";
import { withinAttemptLimits } from "./attempts.ts";
import { auditOrigin, type Caller, logonRecordOf } from "./caller.ts";
import { commitConfirmed, confirm, type TransactItem } from "./confirmation.ts";
import type { Deps } from "./deps.ts";
import { auditPut, logonFailed, logonSucceeded, outboxPut } from "./records.ts";
import { checkSecret, clearStrikes, stoppedProblem } from "./strikes.ts";
import { tokenContext, tokenMails, tokenStopped } from "./token-codes.ts";

const cardContext = (contractId: string): SecretContext => ({ contractId, userId: null, purpose: "card" });

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

const wrongCode = () =>
  new Problem("invalid-credentials", "The one-time password is not correct.", { status: 403 });

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
    also: {
      set: `#token = :token, strikes.activationPassword = :zero${holdUntil ? ", resetHoldUntil = :holdUntil" : ""}`,
      names: { "#token": "token" },
      values: { ":token": token, ...(holdUntil ? { ":holdUntil": holdUntil } : {}) },
    },
  });
  const earlier = principal.token;
  await commitConfirmed(deps, caller, "confirmationPin", confirmed, [
    {
      Put: {
        TableName: deps.table.name,
        Item: {
          ...keys.token(token.tokenId),
          type: "token",
          contractId: contract.contractId,
          userId: principal.userId,
          serviceId: token.serviceId,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    ...(earlier
      ? [{ Delete: { TableName: deps.table.name, Key: keys.token(earlier.tokenId) } } as TransactItem]
      : []),
    auditPut(deps.table.name, contract.contractId, now, {
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
    outboxPut(deps.table.name, now, {
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
  new Problem("invalid-credentials", "The service ID, token ID or activation password is not correct.", {
    status: 401,
  });

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
  const [tokenWithin, { Item: pointer }, { pepper }] = await Promise.all([
    withinAttemptLimits(deps, [
      { limit: provisioningPerToken, subject: keys.attemptsOfToken(command.tokenId) },
    ]),
    deps.table.db.send(
      new GetCommand({ TableName: deps.table.name, Key: keys.token(command.tokenId), ConsistentRead: true }),
    ),
    deps.keys(),
  ]);
  const named = pointer?.serviceId === command.serviceId ? pointer : undefined;
  const contractId = String(named?.contractId);
  const userId = (named?.userId as string | null) ?? null;
  const within =
    tokenWithin &&
    named !== undefined &&
    (await withinAttemptLimits(deps, [
      { limit: provisioningPerPrincipal, subject: keys.attemptsOfPrincipal(contractId, userId) },
      { limit: provisioningPerContract, subject: keys.attemptsOfContract(contractId) },
    ]));
  if (!within) {
    await verifyNobody(pepper, command.activationPassword, deps.secretHashing);
    throw provisioningRefused();
  }
  const contract = await getContract(deps.table, contractId);
  if (!contract) throw provisioningRefused();
  if (contract.status !== "active") throw stoppedProblem(contract, undefined);
  const { principal } = await checkSecret(deps, {
    contract,
    contractId,
    userId,
    kind: "activationPassword",
    verify: async (current) => {
      const token = current.token;
      if (token?.tokenId !== command.tokenId) throw provisioningRefused();
      if (token.status !== "issued")
        throw new Problem(
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
  await deps.table.db
    .send(
      new TransactWriteCommand({
        TransactItems: [
          clearStrikes(deps, principal, "activationPassword", now, {
            set: "#token.#tokenStatus = :provisioned, #token.provisionedAt = :now",
            condition: "#token.tokenId = :tokenId AND #token.#tokenStatus = :issued",
            names: { "#token": "token", "#tokenStatus": "status" },
            values: { ":provisioned": "provisioned", ":issued": "issued", ":tokenId": token.tokenId },
          }),
          auditPut(deps.table.name, contractId, now, {
            action: "token.provisioned",
            actor: principalLabel(principal),
            outcome: "succeeded",
            sourceIp: command.sourceIp,
            details: { tokenId: token.tokenId },
          }),
        ],
      }),
    )
    .catch((error: unknown) => {
      // Another request took it first (or the principal was stopped): the secret goes out once at most.
      if (error instanceof TransactionCanceledException)
        throw new Problem("gone", "This token was already set up.");
      throw error;
    });
  return {
    otpauthUri: otpauthUri({ secret, contractId, userId }),
    ocraSuite: transactionOcraSuite,
    secret,
  };
};

/**
 * A code from the caller's token, checked under the strike rule: right codes return the TOTP step to
 * record; a replayed code is a strike, audited as a replay and mailed.
 */
const checkCode = async (deps: Deps, caller: Caller, code: string, action: string, token: SoftwareToken) => {
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
        throw new Problem("conflict", "The token changed meanwhile. Try again.");
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
    failure: { action, ...auditOrigin(caller), ...(action === "logon.otp" ? failedLogon(caller, now) : {}) },
    wrong: wrongCode,
    unknown: () => new Problem("unauthenticated", "The session is not valid. Log on again."),
  });
  return { principal, step, now };
};

/** A wrong one-time password or card answer at logon is a failed logon, shown like a wrong PIN's. */
const failedLogon = (caller: Caller, now: number) => ({ alsoSet: logonFailed(logonRecordOf(caller, now)) });

/** The code's step recorded with its strike reset: a second request with the same code fails this condition. */
const codeAccepted = (
  deps: Deps,
  principal: Principal,
  token: SoftwareToken,
  step: number,
  now: number,
  extra: { set?: string; values?: Record<string, unknown>; status?: string } = {},
) =>
  clearStrikes(deps, principal, "otp", now, {
    set: ["#token.lastUsedStep = :step", ...(extra.set ? [extra.set] : [])].join(", "),
    condition: `#token.tokenId = :tokenId AND #token.lastUsedStep < :step AND #token.#tokenStatus = :expected`,
    names: { "#token": "token", "#tokenStatus": "status" },
    values: {
      ":step": step,
      ":tokenId": token.tokenId,
      ":expected": extra.status ?? "active",
      ...extra.values,
    },
  });

/** A code that was right but lost the race to record its step is a replay: the same answer as a wrong code. */
const writeAccepted = async (deps: Deps, items: TransactItem[]) => {
  try {
    await deps.table.db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (
      error instanceof TransactionCanceledException &&
      error.CancellationReasons?.[0]?.Code === "ConditionalCheckFailed"
    )
      throw wrongCode();
    throw error;
  }
};

/** The session moves past a finished step; it fails if the session ended meanwhile. */
const stepDone = (deps: Deps, caller: Caller, step: PendingStep) => {
  const remaining = caller.session.pending.filter((pending) => pending !== step);
  return {
    remaining,
    /** This step was the logon's last: the principal's record of it is written with the step. */
    completes: caller.session.pending.includes(step) && remaining.length === 0,
    item: {
      Update: {
        TableName: deps.table.name,
        Key: keys.session(caller.session.sessionId),
        UpdateExpression: "SET pending = :pending REMOVE cardChallenge",
        ConditionExpression: "attribute_not_exists(revokedAt)",
        ExpressionAttributeValues: { ":pending": remaining },
      },
    },
  };
};

/** POST /v1/sessions/current/otp: the logon's one-time password. */
export const completeOtpStep = async (deps: Deps, caller: Caller, command: { code: string }) => {
  const token = caller.principal.token;
  if (token?.status === "stopped") throw tokenStopped();
  if (!token || !tokenUsable(token, deps.clock.now()))
    throw new Problem("conflict", "The token is not active. Log on again to register a new one.");
  const { principal, step, now } = await checkCode(deps, caller, command.code, "logon.otp", token);
  const done = stepDone(deps, caller, "otp");
  await writeAccepted(deps, [
    codeAccepted(
      deps,
      principal,
      token,
      step,
      now,
      done.completes ? logonSucceeded(logonRecordOf(caller, now)) : {},
    ),
    done.item,
    auditPut(deps.table.name, caller.contract.contractId, now, {
      action: "logon.otp",
      actor: principalLabel(principal),
      outcome: "succeeded",
      ...auditOrigin(caller),
    }),
  ]);
  return { pending: done.remaining[0] ?? null };
};

/** POST /v1/me/token/activate: a first code proves the app holds the secret; logons need codes from now on. */
export const activateToken = async (deps: Deps, caller: Caller, command: { code: string }) => {
  const token = caller.principal.token;
  if (token?.status === "stopped") throw tokenStopped();
  if (token?.status !== "provisioned")
    throw new Problem(
      "conflict",
      token?.status === "active"
        ? "The token is already active."
        : "There is no token waiting for activation: apply for one, then set it up in the token app.",
    );
  const { principal, step, now } = await checkCode(deps, caller, command.code, "token.activated", token);
  const expiresAt = tokenExpiry(now);
  const registered = stepDone(deps, caller, "register-token");
  const completed = registered.completes ? logonSucceeded(logonRecordOf(caller, now)) : undefined;
  const items: TransactItem[] = [
    codeAccepted(deps, principal, token, step, now, {
      set: [
        "#token.#tokenStatus = :active, #token.activatedAt = :now, #token.expiresAt = :expiresAt",
        ...(completed ? [completed.set] : []),
      ].join(", "),
      values: { ":active": "active", ":expiresAt": expiresAt, ...completed?.values },
      status: "provisioned",
    }),
    auditPut(deps.table.name, caller.contract.contractId, now, {
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
  await writeAccepted(deps, items);
  return {
    status: "active" as const,
    expiresAt: new Date(expiresAt).toISOString(),
    pending: registered.remaining[0] ?? null,
  };
};

/** POST /v1/me/token/renew: inside the last 30 days, a code extends the token by 5 years from now. */
export const renewToken = async (deps: Deps, caller: Caller, command: { code: string }) => {
  const token = caller.principal.token;
  if (token?.status === "stopped") throw tokenStopped();
  if (!token || !tokenInRenewalWindow(token, deps.clock.now()))
    throw new Problem("conflict", "Renewal opens 30 days before the token expires.");
  const { principal, step, now } = await checkCode(deps, caller, command.code, "token.renewed", token);
  const expiresAt = tokenExpiry(now);
  await writeAccepted(deps, [
    codeAccepted(deps, principal, token, step, now, {
      set: "#token.expiresAt = :expiresAt",
      values: { ":expiresAt": expiresAt },
    }),
    auditPut(deps.table.name, caller.contract.contractId, now, {
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
  if (!token) throw new Problem("conflict", "There is no token to cancel.");
  if (token.status === "stopped") throw tokenStopped();
  const confirmed = await confirm(deps, caller, command.confirmationPin, {
    action: "token.cancelled",
    also: { remove: "#token", names: { "#token": "token" } },
  });
  const now = deps.clock.now();
  await commitConfirmed(deps, caller, "confirmationPin", confirmed, [
    { Delete: { TableName: deps.table.name, Key: keys.token(token.tokenId) } },
    auditPut(deps.table.name, caller.contract.contractId, now, {
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
  const { contract, principal } = await getContractAndPrincipal(deps.table, contractId, userId);
  if (!contract || !principal) throw new Problem("not-found", "There is no such contract or user.");
  const token = principal.token;
  if (token?.status !== "stopped") throw new Problem("conflict", "There is no stopped token to reset.");
  const now = deps.clock.now();
  const label = principalLabel(principal);
  await deps.table.db.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: deps.table.name,
            Key: keys.principal(contractId, principal.userId),
            UpdateExpression:
              "SET strikes.otp = :zero, strikes.transactionCode = :zero, strikes.activationPassword = :zero, updatedAt = :now REMOVE #token",
            ConditionExpression: "#token.tokenId = :tokenId AND #token.#tokenStatus = :stopped",
            ExpressionAttributeNames: { "#token": "token", "#tokenStatus": "status" },
            ExpressionAttributeValues: {
              ":zero": 0,
              ":now": now,
              ":tokenId": token.tokenId,
              ":stopped": "stopped",
            },
          },
        },
        { Delete: { TableName: deps.table.name, Key: keys.token(token.tokenId) } },
        auditPut(deps.table.name, contractId, now, {
          action: "token.reset",
          actor: "ops",
          target: label,
          outcome: "succeeded",
          details: { tokenId: token.tokenId },
        }),
        ...tokenMails(deps, { contract, principal }, now, "token-reset", { tokenId: token.tokenId }),
      ],
    }),
  );
  return { contractId, userId: principal.userId, token: null };
};

// ---- The customer card ----

/** A new card for a card contract: 50 cells of 4 random digits, sealed; the plain cells are shown once. */
export const issueCard = async (deps: Deps, contractId: string, now: number) => {
  const cells = Object.fromEntries(
    cardCellNames.map((name) => [name, String(randomInt(0, 10_000)).padStart(4, "0")]),
  );
  const sealed = await (await deps.secretBox()).seal(JSON.stringify(cells), cardContext(contractId));
  return { cells, stored: { cells: sealed, issuedAt: now } };
};

const sameDigits = (given: string, expected: string) =>
  given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));

const cardNoLongerAsked = () =>
  new Problem(
    "conflict",
    "These card cells are no longer asked: they were answered meanwhile. Log on again.",
  );

/**
 * POST /v1/sessions/current/card: the values of the cells this logon asked for. They are checked only
 * while they are still the principal's open challenge (one-time-passwords.ts), so neither a session
 * left open from before nor two sessions answering at once get a pair through twice; a right answer
 * closes the challenge, and the next logon asks other cells.
 */
export const completeCardStep = async (deps: Deps, caller: Caller, command: { answers: string[] }) => {
  const { contract, session } = caller;
  const asked = session.cardChallenge;
  if (!contract.card || !asked) throw new Problem("conflict", "This session has no card step. Log on again.");
  const card = contract.card;
  const box = await deps.secretBox();
  const { principal } = await checkSecret(deps, {
    contract,
    contractId: contract.contractId,
    userId: caller.principal.userId,
    kind: "card",
    verify: async (current) => {
      // Thrown here, the strike is given back: the answer was never compared.
      if (!cardChallengeAnswerable(current.cardChallenge, asked)) throw cardNoLongerAsked();
      const cells = JSON.parse(
        (await box.open(card.cells, cardContext(contract.contractId))).toString("utf8"),
      ) as Record<string, string>;
      const right =
        command.answers.length === asked.positions.length &&
        asked.positions
          .map((position, index) => sameDigits(command.answers[index] ?? "", cells[position] ?? ""))
          .every(Boolean);
      return { right };
    },
    failure: { action: "logon.card", ...auditOrigin(caller), ...failedLogon(caller, deps.clock.now()) },
    wrong: () => new Problem("invalid-credentials", "The card numbers are not correct.", { status: 403 }),
    unknown: () => new Problem("unauthenticated", "The session is not valid. Log on again."),
  });
  const now = deps.clock.now();
  const done = stepDone(deps, caller, "card");
  const completed = done.completes ? logonSucceeded(logonRecordOf(caller, now)) : undefined;
  try {
    await deps.table.db.send(
      new TransactWriteCommand({
        TransactItems: [
          clearStrikes(deps, principal, "card", now, {
            set: ["cardChallenge.answeredAt = :now", ...(completed ? [completed.set] : [])].join(", "),
            condition:
              "cardChallenge.#number = :askedNumber AND attribute_not_exists(cardChallenge.answeredAt)",
            names: { "#number": "number" },
            values: { ":askedNumber": asked.number, ...completed?.values },
          }),
          done.item,
          auditPut(deps.table.name, contract.contractId, now, {
            action: "logon.card",
            actor: principalLabel(principal),
            outcome: "succeeded",
            ...auditOrigin(caller),
          }),
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const [onPrincipal, onSession] = error.CancellationReasons ?? [];
    if (onSession?.Code === "ConditionalCheckFailed")
      throw new Problem("unauthenticated", "The session is not valid. Log on again.");
    if (onPrincipal?.Code !== "ConditionalCheckFailed") throw error;
    // Stopped meanwhile, or the same cells answered right in another session first.
    const current = await getPrincipal(deps.table, contract.contractId, principal.userId);
    if (current?.status !== "active") throw stoppedProblem(contract, current);
    throw cardNoLongerAsked();
  }
  return { pending: done.remaining[0] ?? null };
};
