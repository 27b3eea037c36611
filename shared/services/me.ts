// The signed-in principal's own things: what it sees of itself, its two PINs, its mail choices and its
// channels; and the check of its own PIN that every changing request passes (design §3), shared by
// every use case that changes something.
import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { hashSecret, verifyAndRehash, verifyNobody, verifySecret } from "#shared/adapters/crypto/secret-hash";
import { keys } from "#shared/adapters/dynamodb/keys";
import { toPrincipal } from "#shared/adapters/dynamodb/repository";
import { jstDay, nextJstMidnight } from "#shared/domain/limits";
import { strikeLocks } from "#shared/domain/lockout";
import type { Channel, LogonRecord, OptionalEvent, Principal } from "#shared/domain/model";
import { optionalEvents, principalLabel } from "#shared/domain/model";
import { effectiveLimits, effectivePermissions } from "#shared/domain/permissions";
import { checkPin, ownPinChangesPerDay, type PinRefusal, pinRefusal } from "#shared/domain/pin-policy";
import { resetHoldHoursOf } from "#shared/domain/reset-hold";
import { Problem } from "#shared/http/problems";
import type { Deps } from "./deps.ts";
import { auditPut, type Mail, outboxPut } from "./records.ts";
import type { Caller } from "./sessions.ts";
import {
  type AlsoOnPrincipal,
  checkSecret,
  clearStrikes,
  recordWrongAnswer,
  reserveStrike,
  stoppedProblem,
  wrongAnswer,
} from "./strikes.ts";
import { tokenView, tokenWarnings } from "./tokens.ts";

/** One item of a TransactWrite. */
export type TransactItem = Record<string, unknown>;

/** A signed-in caller as a change records it: with the address the request came from, when known. */

/** The PINs a principal types itself; each has its own strike count, named like the secret. */
export type OwnPin = "logonPin" | "confirmationPin";

/** A PIN older than this is reported as expiring (design §1); the person is prompted, not blocked. */
export const pinExpiryDays = 180;
const dayMs = 86_400_000;

export interface OwnPinCheck {
  /** The audit action of the operation the PIN was given for; a wrong PIN is recorded under it. */
  action: string;
  /**
   * The caller's change to its own principal item, made by the returned item: a transaction may
   * touch an item only once, and the strike reset already touches the principal.
   */
  also?: AlsoOnPrincipal;
}

const wrongPin = (kind: OwnPin) =>
  new Problem(
    "invalid-credentials",
    kind === "confirmationPin" ? "The confirmation PIN is not correct." : "The current PIN is not correct.",
    // 403, not 401: the session is valid; a PIN given inside it is wrong.
    { status: 403 },
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
  const { contract, principal, session } = caller;
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
    failure: { action, channel: session.channel, ...(caller.sourceIp ? { sourceIp: caller.sourceIp } : {}) },
    wrong: () => wrongPin(kind),
    unknown: () => new Problem("unauthenticated", "The session is not valid. Log on again."),
  });
  return { ...checked, ...(rehash ? { rehash } : {}) };
};

/**
 * `also` plus the replacement of an own PIN's hash of an older algorithm or cost, so the write that
 * records the right entry also upgrades the hash.
 */
export const withRehash = (
  kind: OwnPin,
  rehash: string | undefined,
  also: AlsoOnPrincipal = {},
): AlsoOnPrincipal =>
  rehash
    ? {
        ...also,
        set: [...(also.set ? [also.set] : []), `secrets.${kind}.#rehashed = :rehash`].join(", "),
        names: { ...also.names, "#rehashed": "hash" },
        values: { ...also.values, ":rehash": rehash },
      }
    : also;

/** A standalone strike reset, for a right PIN whose change was then refused for another reason. */
export const clearStrikesNow = async (deps: Deps, principal: Principal, kind: OwnPin): Promise<void> => {
  await deps.table.db
    .send(new UpdateCommand(clearStrikes(deps, principal, kind, deps.clock.now()).Update))
    .catch((error: unknown) => {
      // Stopped meanwhile: the count stays as the stop left it.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
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
    withRehash("confirmationPin", rehash, check.also),
  );
};

/** Checked in every change: a contract stopped since the request began takes the change down with it. */
const contractStillActive = (deps: Deps, contractId: string): TransactItem => ({
  ConditionCheck: {
    TableName: deps.table.name,
    Key: keys.contract(contractId),
    ConditionExpression: "#status = :active",
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: { ":active": "active" },
  },
});

type CancellationReasons = NonNullable<TransactionCanceledException["CancellationReasons"]>;
type CancellationReason = CancellationReasons[number];

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
  refuse?: (reasons: CancellationReasons) => Problem | undefined,
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
  ) => Problem | undefined,
): Promise<void> => {
  try {
    await deps.table.db.send(
      new TransactWriteCommand({
        TransactItems: [
          confirmed,
          contractChange ?? contractStillActive(deps, caller.contract.contractId),
          ...items,
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
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
      const seen = toPrincipal(reasons[0]?.Item ? unmarshall(reasons[0].Item) : undefined);
      if (seen?.status === "active" && seen.sessionGeneration !== caller.session.sessionGeneration)
        throw sessionEnded();
      throw stoppedProblem(undefined, caller.principal);
    }
    await clearStrikesNow(deps, caller.principal, kind);
    if (failed(1)) throw stoppedProblem({ ...caller.contract, status: "stopped" }, caller.principal);
    const refusal = refuse?.(reasons.slice(2));
    if (refusal) throw refusal;
    if (reasons.some((reason) => reason.Code === "TransactionConflict"))
      throw new Problem(
        "conflict",
        "Another change to the same data was being made at the same moment. Try again.",
      );
    throw error;
  }
};

const sessionEnded = () =>
  new Problem(
    "unauthenticated",
    "The session ended: the PINs were changed or reset meanwhile. Log on again.",
  );

/** The problem for a broken PIN rule; `field` names the body field that carried the PIN. */
export const pinPolicyProblem = (refusal: PinRefusal, field: string): Problem =>
  new Problem("pin-policy", refusal.detail, { extensions: { rule: refusal.rule, field } });

const isoTime = (at: number) => new Date(at).toISOString();

/** Logon records as the API shows them: ISO times, the channel, the source address. */
export const logonsView = (lastLogons: Principal["lastLogons"]) => {
  const view = (record: LogonRecord | undefined) =>
    record ? { at: isoTime(record.at), channel: record.channel, sourceIp: record.sourceIp } : null;
  // Signed in, the latest success is this very logon: the one before it is what reveals a stranger.
  return { succeeded: view(lastLogons.previousSucceeded ?? undefined), failed: view(lastLogons.failed) };
};

export type MeWarning =
  | { code: "pin-expiring"; secret: OwnPin }
  | { code: "token-expiring"; expiresAt: string | null };

const pinWarnings = (principal: Principal, now: number): MeWarning[] =>
  (["logonPin", "confirmationPin"] as const).flatMap((secret) => {
    const setAt = principal.secrets[secret]?.setAt;
    return setAt !== undefined && now - setAt > pinExpiryDays * dayMs
      ? [{ code: "pin-expiring" as const, secret }]
      : [];
  });

/** GET /v1/me: the caller as it sees itself — never a secret or a hash. */
export const describeMe = (deps: Deps, caller: Caller) => {
  const { contract, principal } = caller;
  return {
    contractId: contract.contractId,
    // The contract's settings that decide what the principal sees and who can resume a lock.
    contract: {
      name: contract.name,
      lockMode: contract.lockMode,
      otpMethod: contract.otpMethod,
      userOtpRequired: contract.userOtpRequired,
      certificateRequired: contract.certificateRequired,
      approvalRequired: contract.approvalRequired,
      dailyLimit: contract.dailyLimit,
      // Hours a user may not sign or approve after the administrator resets its PINs (decision 011).
      resetHoldHours: resetHoldHoursOf(contract),
      // Wrong entries in a row of one secret that stop the principal (design §2), for the console's warnings.
      lockoutThreshold: deps.config.strikeThreshold,
    },
    userId: principal.userId,
    role: principal.role,
    name: principal.name,
    email: principal.email,
    permissions: effectivePermissions(principal),
    limits: effectiveLimits(principal, contract),
    channels: { ...principal.channels },
    notifications: [...principal.notifications],
    token: tokenView(principal.token, deps.clock.now()),
    lastLogons: logonsView(principal.lastLogons),
    warnings: [...pinWarnings(principal, deps.clock.now()), ...tokenWarnings(principal, deps.clock.now())],
  };
};

const auditOrigin = (caller: Caller) => ({
  channel: caller.session.channel,
  ...(caller.sourceIp ? { sourceIp: caller.sourceIp } : {}),
});

/** The mandatory mails about a change to a principal: to it, and for a user also to the administrator. */
const securityMails = (
  deps: Deps,
  caller: Caller,
  now: number,
  template: Mail["template"],
  params: Mail["params"],
): TransactItem[] => {
  const { contract, principal } = caller;
  const to = [principal.email, ...(principal.role === "user" ? [contract.adminEmail] : [])];
  return [...new Set(to)].map((address) =>
    outboxPut(deps.table.name, now, {
      to: address,
      template,
      contractId: contract.contractId,
      kind: "security",
      params,
    }),
  );
};

const otherPinOf = (kind: OwnPin): OwnPin => (kind === "logonPin" ? "confirmationPin" : "logonPin");

/**
 * Takes one of the day's own-PIN changes (`ownPinChangesPerDay`) before the new PIN is compared with
 * the other PIN, atomically, so racing requests cannot take more; a try is never given back.
 */
const takeOwnPinChange = async (deps: Deps, caller: Caller, kind: OwnPin, now: number): Promise<void> => {
  const { contract, principal } = caller;
  try {
    await deps.table.db.send(
      new UpdateCommand({
        TableName: deps.table.name,
        Key: keys.ownPinChanges(contract.contractId, jstDay(now), principal.userId),
        UpdateExpression:
          "SET tries = if_not_exists(tries, :zero) + :one, #type = :type, contractId = :contractId, expiresAt = :expiresAt",
        ConditionExpression: "attribute_not_exists(tries) OR tries < :limit",
        ExpressionAttributeNames: { "#type": "type" },
        ExpressionAttributeValues: {
          ":zero": 0,
          ":one": 1,
          ":limit": ownPinChangesPerDay,
          ":type": "pin-changes",
          ":contractId": contract.contractId,
          // Kept a day past its own for inquiries, then DynamoDB's TTL removes it.
          ":expiresAt": Math.floor(nextJstMidnight(now) / 1000) + 86_400,
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // The current PIN was right: its count is cleared all the same.
    await clearStrikesNow(deps, principal, kind);
    throw new Problem(
      "too-many-requests",
      `A principal may try to change its own PINs ${ownPinChangesPerDay} times a day. Try again tomorrow.`,
      { extensions: { retryAfterSeconds: Math.ceil((nextJstMidnight(now) - now) / 1000) } },
    );
  }
};

/**
 * Whether the new PIN equals the principal's other PIN, found as an entry of that other PIN under its
 * own strike count (decision 012): a strike is reserved before the comparison, so however many requests
 * race, no more comparisons are made than the 7-strike rule allows. The same PIN is a right entry: both
 * counts are cleared and the change refused with 422. Any other PIN is a wrong entry: its strike stays
 * (a right entry of the other PIN clears it later), and the threshold strike locks, as at any prompt.
 * Returns the other PIN's count as it now stands.
 */
const compareWithOtherPin = async (
  deps: Deps,
  caller: Caller,
  kind: OwnPin,
  next: string,
  field: string,
  action: string,
): Promise<number> => {
  const { contract, principal } = caller;
  const other = otherPinOf(kind);
  const reservation = await reserveStrike(deps, contract.contractId, principal.userId, other).catch(
    async (error: unknown) => {
      // Every strike left is held by comparisons still in flight (429): this one is not made, and the
      // current PIN, which was right, has its count cleared.
      await clearStrikesNow(deps, principal, kind);
      throw error;
    },
  );
  if (reservation.outcome === "unknown")
    throw new Problem("unauthenticated", "The session is not valid. Log on again.");
  if (reservation.outcome === "stopped") throw stoppedProblem(contract, reservation.principal);
  const { pepper } = await deps.keys();
  const stored = reservation.principal.secrets[other];
  const same = stored
    ? await verifySecret(pepper, next, stored.hash)
    : await verifyNobody(pepper, next, deps.secretHashing);
  const now = deps.clock.now();
  if (same) {
    await deps.table.db
      .send(new UpdateCommand(clearStrikes(deps, reservation.principal, [kind, other], now).Update))
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
    throw pinPolicyProblem(pinRefusal("same-as-other-pin"), field);
  }
  if (strikeLocks(reservation.strikes, deps.config.strikeThreshold)) {
    const outcome = wrongAnswer(deps, contract, reservation.principal, other, reservation.strikes, now, {
      action,
      ...auditOrigin(caller),
    });
    await recordWrongAnswer(deps, outcome.items);
    throw stoppedProblem(outcome.locked?.contract ? { ...contract, status: "stopped" } : contract, {
      ...reservation.principal,
      status: "locked",
    });
  }
  return reservation.strikes;
};

/**
 * PUT /v1/me/pin and PUT /v1/me/confirmation-pin. The current value is checked under that PIN's own
 * strike count (it stands in for the confirmation PIN); the new one meets the policy, differs from the
 * current one and from the principal's other PIN. A change ends every other session of the principal:
 * its session generation moves on, and the caller's own session moves with it, in the write that
 * changes the PIN. Audit and the mandatory mails go in the same write.
 */
export const changeOwnPin = async (
  deps: Deps,
  caller: Caller,
  kind: OwnPin,
  pins: { current: string; next: string },
): Promise<void> => {
  const { contract, principal, session } = caller;
  const field = kind === "logonPin" ? "newPin" : "newConfirmationPin";
  const verdict = checkPin(pins.next, {
    contractId: contract.contractId,
    ...(principal.userId ? { userId: principal.userId } : {}),
    previousPin: pins.current,
  });
  if (!verdict.ok) throw pinPolicyProblem(verdict, field);

  const action = kind === "logonPin" ? "pin.changed" : "confirmation-pin.changed";
  const verified = await verifyOwnPin(deps, caller, kind, pins.current, action);
  // Only after the current PIN is proven, and each comparison a counted entry of the other PIN: free,
  // the answer would tell a session holder the other PIN.
  await takeOwnPinChange(deps, caller, kind, deps.clock.now());
  const otherStrikes = await compareWithOtherPin(deps, caller, kind, pins.next, field, action);
  const hash = await hashSecret((await deps.keys()).pepper, pins.next, deps.secretHashing);

  const now = deps.clock.now();
  const actor = principalLabel(principal);
  const generation = session.sessionGeneration;
  const cleared = clearStrikes(deps, verified.principal, kind, now, {
    set: `secrets.${kind} = :secret, sessionGeneration = :nextGeneration`,
    // Moved on meanwhile (another session's change, a reset): this session is over, and changes nothing.
    condition: "sessionGeneration = :generation",
    values: { ":secret": { hash, setAt: now }, ":generation": generation, ":nextGeneration": generation + 1 },
  });
  // The item as it was, should it fail: `commitConfirmed` tells a moved generation from a stop by it.
  const confirmed = { Update: { ...cleared.Update, ReturnValuesOnConditionCheckFailure: "ALL_OLD" } };
  await commitConfirmed(
    deps,
    caller,
    kind,
    confirmed,
    [
      {
        Update: {
          TableName: deps.table.name,
          Key: keys.session(session.sessionId),
          UpdateExpression: "SET sessionGeneration = :nextGeneration",
          ConditionExpression: "attribute_not_exists(revokedAt) AND sessionGeneration = :generation",
          ExpressionAttributeValues: { ":generation": generation, ":nextGeneration": generation + 1 },
        },
      },
      auditPut(deps.table.name, contract.contractId, now, {
        action,
        actor,
        outcome: "succeeded",
        ...auditOrigin(caller),
        // The comparison with the other PIN counted as an entry of it (decision 012).
        details: { otherPinStrikes: otherStrikes },
      }),
      ...securityMails(deps, caller, now, kind === "logonPin" ? "pin-changed" : "confirmation-pin-changed", {
        principal: actor,
        at: now,
      }),
    ],
    (reasons) => (reasons[0]?.Code === "ConditionalCheckFailed" ? sessionEnded() : undefined),
  );
};

/**
 * The optional "settings-changed" mail (Select E-mail): sent when the principal had chosen it before
 * the change or chooses it with the change, so switching the mail off is itself reported.
 */
const settingsMail = (
  deps: Deps,
  caller: Caller,
  now: number,
  setting: string,
  chosenNow: readonly OptionalEvent[] = caller.principal.notifications,
): TransactItem[] => {
  const { contract, principal } = caller;
  if (!principal.notifications.includes("settings-changed") && !chosenNow.includes("settings-changed"))
    return [];
  return [
    outboxPut(deps.table.name, now, {
      to: principal.email,
      template: "settings-changed",
      contractId: contract.contractId,
      kind: "optional",
      params: { principal: principalLabel(principal), setting, at: now },
    }),
  ];
};

/**
 * One of the principal's own settings changed under its confirmation PIN: the new value, the strike
 * reset, the audit item and the optional mail in one transaction.
 */
const changeOwnSetting = async (
  deps: Deps,
  caller: Caller,
  confirmationPin: string,
  change: {
    setting: "notifications" | "channels";
    value: unknown;
    details: Record<string, string | number | boolean | null>;
    chosenNow?: readonly OptionalEvent[];
  },
): Promise<void> => {
  const action = `${change.setting}.changed`;
  const confirmed = await confirm(deps, caller, confirmationPin, {
    action,
    also: { set: `${change.setting} = :value`, values: { ":value": change.value } },
  });
  const now = deps.clock.now();
  await commitConfirmed(deps, caller, "confirmationPin", confirmed, [
    auditPut(deps.table.name, caller.contract.contractId, now, {
      action,
      actor: principalLabel(caller.principal),
      outcome: "succeeded",
      ...auditOrigin(caller),
      details: change.details,
    }),
    ...settingsMail(deps, caller, now, change.setting, change.chosenNow),
  ]);
};

/** PUT /v1/me/notifications: which optional events mail the principal (security mails always do). */
export const setNotifications = async (
  deps: Deps,
  caller: Caller,
  command: { events: readonly OptionalEvent[]; confirmationPin: string },
): Promise<{ notifications: OptionalEvent[] }> => {
  const events = optionalEvents.filter((event) => command.events.includes(event));
  await changeOwnSetting(deps, caller, command.confirmationPin, {
    setting: "notifications",
    value: events,
    details: { events: events.join(",") },
    chosenNow: events,
  });
  return { notifications: events };
};

/** PUT /v1/me/channels (IB/MB利用設定): whether the principal may log on from the web and the mobile channel. */
export const setChannels = async (
  deps: Deps,
  caller: Caller,
  command: Record<Channel, boolean> & { confirmationPin: string },
): Promise<{ channels: Record<Channel, boolean> }> => {
  const channels = { web: command.web, mobile: command.mobile };
  if (!channels.web && !channels.mobile) {
    // Nobody could switch them back on: stopping every logon is what emergency stop is for.
    throw new Problem(
      "validation",
      "At least one channel must stay on; to stop every logon use the emergency stop.",
    );
  }
  await changeOwnSetting(deps, caller, command.confirmationPin, {
    setting: "channels",
    value: channels,
    details: { web: channels.web, mobile: channels.mobile },
  });
  return { channels };
};
