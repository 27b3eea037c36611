// The signed-in principal's own things: what it sees of itself, its two PINs, its mail choices and its
// channels. Each change is confirmed by one of its own PINs (confirmation.ts).

import { hashSecret, verifyNobody, verifySecret } from "#shared/adapters/crypto/secret-hash";
import type { TransactItem } from "#shared/adapters/dynamodb/records";
import { approvalPolicyOf } from "#shared/domain/approval-policy";
import { batchSettingsOf } from "#shared/domain/batch-limits";
import { jstDay, nextJstMidnight } from "#shared/domain/limits";
import { strikeLocks } from "#shared/domain/lockout";
import type { Channel, LogonRecord, OptionalEvent, Principal } from "#shared/domain/model";
import { keepsAChannelOn, optionalEvents, principalLabel } from "#shared/domain/model";
import { firstUseSettingsOf } from "#shared/domain/payee";
import { effectiveLimits, effectivePermissions } from "#shared/domain/permissions";
import {
  checkPin,
  ownPinChangesPerDay,
  type PinRefusal,
  pinExpiring,
  pinRefusal,
} from "#shared/domain/pin-policy";
import { Refusal } from "#shared/domain/refusal";
import { resetHoldHoursOf } from "#shared/domain/reset-hold";
import { auditOrigin, type Caller, securityMails } from "./caller.ts";
import { certificateWarnings } from "./certificate-checks.ts";
import {
  clearStrikesNow,
  commitConfirmed,
  confirm,
  type OwnPin,
  sessionEnded,
  verifyOwnPin,
} from "./confirmation.ts";
import type { Deps } from "./deps.ts";
import { clearStrikes, recordWrongAnswer, reserveStrike, stoppedRefusal, wrongAnswer } from "./strikes.ts";
import { tokenView, tokenWarnings } from "./tokens.ts";

/** The refusal of a broken PIN rule; `field` names the body field that carried the PIN. */
export const pinPolicyRefusal = (refusal: PinRefusal, field: string): Refusal =>
  new Refusal("pin-policy", refusal.detail, { extensions: { rule: refusal.rule, field } });

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
    return setAt !== undefined && pinExpiring(setAt, now) ? [{ code: "pin-expiring" as const, secret }] : [];
  });

/** GET /v1/me: the caller as it sees itself — never a secret or a hash. */
export const describeMe = async (deps: Deps, caller: Caller) => {
  const { contract, principal } = caller;
  const certificates = await certificateWarnings(deps, contract, principal);
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
      // The tiers by amount (design §11); approvalRequired is their one-tier shorthand.
      approvalPolicy: approvalPolicyOf(contract),
      passkeyOtpRequired: contract.passkeyOtpRequired !== false,
      dailyLimit: contract.dailyLimit,
      // Hours a user may not sign or approve after the administrator resets its PINs (decision 011).
      resetHoldHours: resetHoldHoursOf(contract),
      // First-use protection of payees (design §10): cooling-off, ad-hoc payees, the first-use cap.
      ...firstUseSettingsOf(contract),
      // Bulk transfers (design §12): the Zengin requester code, daily limits per kind, the salary cut-off.
      ...batchSettingsOf(contract),
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
    warnings: [
      ...pinWarnings(principal, deps.clock.now()),
      ...tokenWarnings(principal, deps.clock.now()),
      ...certificates,
    ],
  };
};

const otherPinOf = (kind: OwnPin): OwnPin => (kind === "logonPin" ? "confirmationPin" : "logonPin");

/**
 * Takes one of the day's own-PIN changes (`ownPinChangesPerDay`) before the new PIN is compared with
 * the other PIN, atomically, so racing requests cannot take more; a try is never given back.
 */
const takeOwnPinChange = async (deps: Deps, caller: Caller, kind: OwnPin, now: number): Promise<void> => {
  const { principal } = caller;
  // Kept a day past its own for inquiries.
  const keptUntil = Math.floor(nextJstMidnight(now) / 1000) + 86_400;
  if (await deps.principals.takeOwnPinChange(principal, jstDay(now), ownPinChangesPerDay, keptUntil)) return;
  // The current PIN was right: its count is cleared all the same.
  await clearStrikesNow(deps, principal, kind);
  throw new Refusal(
    "too-many-requests",
    `A principal may try to change its own PINs ${ownPinChangesPerDay} times a day. Try again tomorrow.`,
    { extensions: { retryAfterSeconds: Math.ceil((nextJstMidnight(now) - now) / 1000) } },
  );
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
    throw new Refusal("unauthenticated", "The session is not valid. Log on again.");
  if (reservation.outcome === "stopped") throw stoppedRefusal(contract, reservation.principal);
  const { pepper } = await deps.keys();
  const stored = reservation.principal.secrets[other];
  const same = stored
    ? await verifySecret(pepper, next, stored.hash)
    : await verifyNobody(pepper, next, deps.secretHashing);
  const now = deps.clock.now();
  if (same) {
    await deps.principals.clearStrikesAlone(clearStrikes(deps, reservation.principal, [kind, other], now));
    throw pinPolicyRefusal(pinRefusal("same-as-other-pin"), field);
  }
  if (strikeLocks(reservation.strikes, deps.config.strikeThreshold)) {
    const outcome = wrongAnswer(deps, contract, reservation.principal, other, reservation.strikes, now, {
      action,
      ...auditOrigin(caller),
    });
    await recordWrongAnswer(deps, outcome);
    throw stoppedRefusal(outcome.locked?.contract ? { ...contract, status: "stopped" } : contract, {
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
  if (!verdict.ok) throw pinPolicyRefusal(verdict, field);

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
  // Moved on meanwhile (another session's change, a reset): this session is over, and changes nothing.
  const cleared = clearStrikes(
    deps,
    verified.principal,
    kind,
    now,
    deps.principals.ownPinChanged(kind, { hash, setAt: now }, generation),
  );
  // The item as it was, should it fail: `commitConfirmed` tells a moved generation from a stop by it.
  const confirmed = { Update: { ...cleared.Update, ReturnValuesOnConditionCheckFailure: "ALL_OLD" } };
  await commitConfirmed(
    deps,
    caller,
    kind,
    confirmed,
    [
      deps.principals.sessionGenerationMoved(session.sessionId, generation),
      deps.audit.entry(contract.contractId, now, {
        action,
        actor,
        outcome: "succeeded",
        ...auditOrigin(caller),
        // The comparison with the other PIN counted as an entry of it (decision 012).
        details: { otherPinStrikes: otherStrikes },
      }),
      ...securityMails(
        deps,
        caller.contract,
        caller.principal,
        now,
        kind === "logonPin" ? "pin-changed" : "confirmation-pin-changed",
        {
          principal: actor,
          at: now,
        },
      ),
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
    deps.mail.outboxed(now, {
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
    also: deps.principals.ownSettingChanged(change.setting, change.value),
  });
  const now = deps.clock.now();
  await commitConfirmed(deps, caller, "confirmationPin", confirmed, [
    deps.audit.entry(caller.contract.contractId, now, {
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
  if (!keepsAChannelOn(channels)) {
    throw new Refusal(
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
