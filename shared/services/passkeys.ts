// Passkeys (design §13), all but the logon (passkey-logon.ts): registration after a full logon, confirmed
// by the confirmation PIN (and a one-time password on token contracts); the principal's own list, rename
// and delete; the administrator's list and revocation of a user's; the bank's revocation of a contract's.
// Every change is audited and mailed.
import { randomBytes } from "node:crypto";
import {
  challengeOf,
  type RegistrationResponseJSON,
  type RelyingParty,
  registrationOptions,
  userHandleOf,
  verifyRegistration,
} from "#shared/adapters/crypto/webauthn";
import type { TransactItem } from "#shared/adapters/dynamodb/records";
import type { AlsoOnPrincipal } from "#shared/adapters/dynamodb/strikes";
import type { Contract, Passkey, Principal, StrikeKind } from "#shared/domain/model";
import { principalLabel } from "#shared/domain/model";
import { tokenUsable } from "#shared/domain/one-time-passwords";
import { passkeyChallengeSeconds, passkeyValid } from "#shared/domain/passkeys";
import { Refusal } from "#shared/domain/refusal";
import { securityMailRecipients } from "#shared/domain/security-mails";
import { auditOrigin, type Caller, securityMails } from "./caller.ts";
import { clearStrikesNow, commitConfirmed, confirm, verifyOwnPin } from "./confirmation.ts";
import type { Deps } from "./deps.ts";
import { checkOneTimePassword, tokenStopped } from "./software-token.ts";
import { clearStrikes } from "./strikes.ts";

/** The relying party, or a refusal where the service has none (on AWS without the console's domain). */
export const relyingParty = (deps: Deps): RelyingParty => {
  const rp = deps.config.webauthn;
  if (!rp) throw new Refusal("unavailable", "Passkeys are not set up on this service.");
  return rp;
};

const isoTime = (at: number | undefined) => (at === undefined ? null : new Date(at).toISOString());

/** A passkey as its owner and the administrator see it: never its key or credential ID. */
export const passkeyView = (passkey: Passkey) => ({
  passkeyId: passkey.passkeyId,
  name: passkey.name,
  status: passkey.status,
  createdAt: new Date(passkey.createdAt).toISOString(),
  lastUsedAt: isoTime(passkey.lastUsedAt),
  stoppedAt: isoTime(passkey.stoppedAt),
});

/** The passkeys of one principal that are still its own (not revoked by a generation), oldest first. */
const passkeysOf = async (deps: Deps, contract: Contract, principal: Principal): Promise<Passkey[]> =>
  (await deps.passkeys.passkeysOfContract(contract.contractId))
    .filter(
      (passkey) =>
        deps.passkeys.ownedBy(passkey, principal) &&
        passkeyValid({ ...passkey, status: "active" }, contract, principal),
    )
    .sort((a, b) => a.createdAt - b.createdAt);

const passkeyNotFound = () => new Refusal("not-found", "There is no such passkey.");

/** `a` and `b` on the same principal item, in one update (a transaction touches an item once). */
const bothOnPrincipal = (a: AlsoOnPrincipal, b: AlsoOnPrincipal): AlsoOnPrincipal => {
  const set = [a.set, b.set].filter(Boolean).join(", ");
  const remove = [a.remove, b.remove].filter(Boolean).join(", ");
  const condition = [a.condition, b.condition].filter(Boolean).join(" AND ");
  return {
    ...(set ? { set } : {}),
    ...(remove ? { remove } : {}),
    ...(condition ? { condition } : {}),
    names: { ...a.names, ...b.names },
    values: { ...a.values, ...b.values },
  };
};

/**
 * POST /v1/me/passkeys/options: the options for the browser's registration ceremony. The challenge is
 * kept for this session alone, for `passkeyChallengeSeconds`; the principal's passkeys are excluded, so
 * an authenticator is not registered twice.
 */
export const passkeyRegistrationOptions = async (deps: Deps, caller: Caller) => {
  const rp = relyingParty(deps);
  const { contract, principal, session } = caller;
  const own = await passkeysOf(deps, contract, principal);
  const options = await registrationOptions(
    rp,
    {
      handle: userHandleOf(principal),
      name: principal.userId ? `${contract.contractId} ${principal.userId}` : contract.contractId,
      displayName: principal.name,
    },
    own,
    passkeyChallengeSeconds * 1000,
  );
  const now = deps.clock.now();
  await deps.passkeys.storeChallenge(
    options.challenge,
    { purpose: "registration", sessionId: session.sessionId },
    now + passkeyChallengeSeconds * 1000,
  );
  return options;
};

export interface RegisterPasskeyCommand {
  credential: RegistrationResponseJSON;
  name: string;
  confirmationPin: string;
  /** A one-time password from the principal's token: required on token contracts. */
  code?: string | undefined;
}

/**
 * POST /v1/me/passkeys: the browser's answer to the options, confirmed by the confirmation PIN and, on a
 * token contract, a one-time password. The challenge is consumed (once, by this session, in time) only
 * after both are right, so a mistyped PIN does not cost the ceremony; then the attestation is checked
 * (origin, RP ID, user verification) and the passkey written with the strike resets, audit and mails.
 */
export const registerPasskey = async (deps: Deps, caller: Caller, command: RegisterPasskeyCommand) => {
  const rp = relyingParty(deps);
  const { contract } = caller;
  const tokenContract = contract.otpMethod === "token";
  if (tokenContract && command.code === undefined)
    throw new Refusal("validation", "A one-time password (code) confirms a passkey on this contract.", {
      extensions: { errors: [{ field: "code", rule: "required" }] },
    });
  const action = "passkey.registered";
  const pin = await verifyOwnPin(deps, caller, "confirmationPin", command.confirmationPin, action);
  const kinds: StrikeKind[] = ["confirmationPin"];
  let onPrincipal: AlsoOnPrincipal = pin.rehash
    ? deps.principals.pinRehashed("confirmationPin", pin.rehash)
    : {};
  let principal = pin.principal;
  const now = deps.clock.now();
  // From here on the PIN was right: whatever refuses the registration clears its count first.
  const refuse = async (refusal: unknown): Promise<never> => {
    await clearStrikesNow(deps, principal, "confirmationPin");
    throw refusal;
  };
  if (tokenContract) {
    const token = principal.token;
    if (token?.status === "stopped") await refuse(tokenStopped());
    if (!token || !tokenUsable(token, now))
      await refuse(new Refusal("conflict", "A passkey on this contract needs an active software token."));
    const checked = await checkOneTimePassword(
      deps,
      caller,
      command.code ?? "",
      action,
      token as never,
    ).catch(refuse);
    principal = checked.principal;
    kinds.push("otp");
    onPrincipal = bothOnPrincipal(
      onPrincipal,
      deps.tokens.oneTimePasswordStepRecorded(
        (token as NonNullable<Principal["token"]>).tokenId,
        checked.step,
        "active",
      ),
    );
  }
  const challenge = challengeOf(command.credential.response.clientDataJSON);
  const taken =
    challenge !== undefined &&
    (await deps.passkeys.takeChallenge(
      challenge,
      { purpose: "registration", sessionId: caller.session.sessionId },
      now,
    ));
  if (!taken || challenge === undefined)
    return refuse(
      new Refusal("conflict", "This passkey request has expired or was answered already. Start again."),
    );
  const credential = await verifyRegistration(rp, command.credential, challenge);
  if (!credential)
    return refuse(
      new Refusal("validation", "The passkey could not be verified.", {
        extensions: { errors: [{ field: "credential", rule: "webauthn" }] },
      }),
    );
  const principalGeneration = principal.passkeyGeneration ?? 0;
  const contractGeneration = contract.passkeyGeneration ?? 0;
  const passkey: Passkey = {
    passkeyId: randomBytes(12).toString("base64url"),
    contractId: contract.contractId,
    userId: principal.userId,
    ...(principal.instanceId === undefined ? {} : { instanceId: principal.instanceId }),
    name: command.name,
    ...credential,
    status: "active",
    principalGeneration,
    contractGeneration,
    createdAt: now,
  };
  const actor = principalLabel(principal);
  await commitConfirmed(
    deps,
    caller,
    "confirmationPin",
    // A reset or the bank's revocation meanwhile leaves the passkey revoked before it exists: refused.
    clearStrikes(
      deps,
      principal,
      kinds,
      now,
      bothOnPrincipal(onPrincipal, deps.passkeys.principalPasskeyGeneration(principalGeneration)),
    ),
    [
      ...deps.passkeys.passkeyRegistered(passkey),
      deps.audit.entry(contract.contractId, now, {
        action,
        actor,
        outcome: "succeeded",
        ...auditOrigin(caller),
        details: { passkeyId: passkey.passkeyId },
      }),
      ...securityMails(deps, contract, principal, now, "passkey-registered", {
        principal: actor,
        at: now,
        passkeyName: passkey.name,
      }),
    ],
    (reasons) =>
      reasons.slice(0, 2).some((reason) => reason.Code === "ConditionalCheckFailed")
        ? new Refusal("conflict", "This passkey is registered already.")
        : undefined,
    deps.passkeys.contractPasskeyGeneration(contract.contractId, contractGeneration),
  );
  return { passkeyId: passkey.passkeyId };
};

/** GET /v1/me/passkeys. */
export const listOwnPasskeys = async (deps: Deps, caller: Caller) => ({
  items: (await passkeysOf(deps, caller.contract, caller.principal)).map(passkeyView),
});

/** One of `owner`'s passkeys by ID, or not found (another's, revoked, unknown alike). */
const passkeyOf = async (deps: Deps, contract: Contract, owner: Principal, passkeyId: string) => {
  const passkey = await deps.passkeys.getPasskey(contract.contractId, passkeyId);
  if (
    !passkey ||
    !deps.passkeys.ownedBy(passkey, owner) ||
    !passkeyValid({ ...passkey, status: "active" }, contract, owner)
  )
    throw passkeyNotFound();
  return passkey;
};

const gone = (reasons: { Code?: string | undefined }[]) =>
  reasons.some((reason) => reason.Code === "ConditionalCheckFailed") ? passkeyNotFound() : undefined;

/** PATCH /v1/me/passkeys/{passkeyId}: the principal renames its own passkey. */
export const renameOwnPasskey = async (
  deps: Deps,
  caller: Caller,
  passkeyId: string,
  command: { name: string; confirmationPin: string },
) => {
  const { contract, principal } = caller;
  const passkey = await passkeyOf(deps, contract, principal, passkeyId);
  const confirmed = await confirm(deps, caller, command.confirmationPin, { action: "passkey.renamed" });
  const now = deps.clock.now();
  const actor = principalLabel(principal);
  await commitConfirmed(
    deps,
    caller,
    "confirmationPin",
    confirmed,
    [
      deps.passkeys.passkeyRenamed(passkey, command.name),
      deps.audit.entry(contract.contractId, now, {
        action: "passkey.renamed",
        actor,
        outcome: "succeeded",
        ...auditOrigin(caller),
        details: { passkeyId },
      }),
      ...securityMails(deps, contract, principal, now, "passkey-renamed", {
        principal: actor,
        at: now,
        passkeyName: command.name,
      }),
    ],
    gone,
  );
  return passkeyView({ ...passkey, name: command.name });
};

/** The items that delete `owner`'s passkey, audited (`target` when the actor is not the owner) and mailed. */
const deletionItems = (
  deps: Deps,
  caller: Caller,
  owner: Principal,
  passkey: Passkey,
  now: number,
): TransactItem[] => {
  const actor = principalLabel(caller.principal);
  const target = principalLabel(owner);
  return [
    ...deps.passkeys.passkeyDeleted(passkey),
    deps.audit.entry(caller.contract.contractId, now, {
      action: "passkey.deleted",
      actor,
      ...(target === actor ? {} : { target }),
      outcome: "succeeded",
      ...auditOrigin(caller),
      details: { passkeyId: passkey.passkeyId },
    }),
    ...securityMails(deps, caller.contract, owner, now, "passkey-deleted", {
      principal: actor,
      ...(owner.userId ? { userId: owner.userId } : {}),
      at: now,
      passkeyName: passkey.name,
    }),
  ];
};

/** DELETE /v1/me/passkeys/{passkeyId}: the principal deletes its own passkey. */
export const deleteOwnPasskey = async (
  deps: Deps,
  caller: Caller,
  passkeyId: string,
  command: { confirmationPin: string },
): Promise<void> => {
  const passkey = await passkeyOf(deps, caller.contract, caller.principal, passkeyId);
  const confirmed = await confirm(deps, caller, command.confirmationPin, { action: "passkey.deleted" });
  const now = deps.clock.now();
  await commitConfirmed(
    deps,
    caller,
    "confirmationPin",
    confirmed,
    deletionItems(deps, caller, caller.principal, passkey, now),
    gone,
  );
};

const assertAdministrator = (caller: Caller) => {
  if (caller.principal.role !== "admin")
    throw new Refusal("forbidden", "Only the administrator manages users' passkeys.");
};

const userOf = async (deps: Deps, caller: Caller, userId: string): Promise<Principal> => {
  const user = await deps.principals.getPrincipal(caller.contract.contractId, userId);
  if (user?.role !== "user") throw new Refusal("not-found", "There is no such user.");
  return user;
};

/** GET /v1/users/{userId}/passkeys: the administrator sees a user's passkeys. */
export const listUserPasskeys = async (deps: Deps, caller: Caller, userId: string) => {
  assertAdministrator(caller);
  const user = await userOf(deps, caller, userId);
  return { items: (await passkeysOf(deps, caller.contract, user)).map(passkeyView) };
};

/** DELETE /v1/users/{userId}/passkeys/{passkeyId}: the administrator revokes a user's passkey. */
export const deleteUserPasskey = async (
  deps: Deps,
  caller: Caller,
  userId: string,
  passkeyId: string,
  command: { confirmationPin: string },
): Promise<void> => {
  assertAdministrator(caller);
  const user = await userOf(deps, caller, userId);
  const passkey = await passkeyOf(deps, caller.contract, user, passkeyId);
  const confirmed = await confirm(deps, caller, command.confirmationPin, { action: "passkey.deleted" });
  const now = deps.clock.now();
  await commitConfirmed(
    deps,
    caller,
    "confirmationPin",
    confirmed,
    deletionItems(deps, caller, user, passkey, now),
    gone,
  );
};

/**
 * The passkeys of one principal instance that a change is about to revoke (a PIN reset, a deletion): the
 * change itself revokes them (by generation or instance); their items are removed after it.
 */
export const passkeysToRevoke = async (deps: Deps, contract: Contract, principal: Principal) =>
  passkeysOf(deps, contract, principal);

/** Removes the items of passkeys a committed change revoked; nothing depends on it. */
export const removeRevokedPasskeys = (deps: Deps, passkeys: readonly Passkey[]): Promise<void> =>
  deps.passkeys.removePasskeyItems(passkeys);

/**
 * POST /v1/ops/contracts/{contractId}/passkeys/revoke: the bank revokes every passkey of a contract at
 * once (its passkey generation moves on), audited and mailed to the administrator and to each principal
 * that had one.
 */
export const revokeContractPasskeys = async (deps: Deps, contractId: string) => {
  const [contract, all, principals] = await Promise.all([
    deps.contracts.getContract(contractId),
    deps.passkeys.passkeysOfContract(contractId),
    deps.contracts.readPrincipals(contractId),
  ]);
  if (!contract) throw new Refusal("not-found", "There is no such contract.");
  const holders = principals.filter((principal) =>
    all.some(
      (passkey) => deps.passkeys.ownedBy(passkey, principal) && passkeyValid(passkey, contract, principal),
    ),
  );
  const revoked = all.filter((passkey) =>
    holders.some(
      (principal) =>
        deps.passkeys.ownedBy(passkey, principal) &&
        passkeyValid({ ...passkey, status: "active" }, contract, principal),
    ),
  ).length;
  const now = deps.clock.now();
  const recipients = [
    ...new Set([
      contract.adminEmail,
      ...holders.flatMap((principal) => securityMailRecipients(contract, principal)),
    ]),
  ];
  const reasons = await deps.transactions.writeTogether([
    deps.passkeys.contractPasskeysRevoked(contractId),
    deps.audit.entry(contractId, now, {
      action: "passkeys.revoked",
      actor: "ops",
      outcome: "succeeded",
      details: { revoked },
    }),
    ...recipients.map((to) =>
      deps.mail.outboxed(now, {
        to,
        template: "passkeys-revoked",
        contractId,
        kind: "security",
        params: { principal: "ops", at: now },
      }),
    ),
  ]);
  if (reasons) throw new Refusal("conflict", "The contract changed meanwhile. Try again.");
  await deps.passkeys.removePasskeyItems(all);
  return { revoked };
};
