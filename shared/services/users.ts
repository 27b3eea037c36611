// The administrator's management of its contract's users: list, create, read, change, reset their PINs,
// unlock and delete them. Every change needs the administrator's confirmation PIN and writes its audit item and
// the mandatory mails (to the user and to the administrator) in the same transaction.
import { hashSecret } from "#shared/adapters/crypto/secret-hash";
import type { Mail, TransactItem } from "#shared/adapters/dynamodb/records";
import { batchLimitsRefusal } from "#shared/domain/batch-limits";
import { unlockRefusal } from "#shared/domain/lockout";
import type { Limits, Permission, Principal } from "#shared/domain/model";
import { newPrincipal, principalLabel } from "#shared/domain/model";
import { limitsRefusal, mayManageUsers } from "#shared/domain/permissions";
import { checkPinPair } from "#shared/domain/pin-policy";
import { Refusal } from "#shared/domain/refusal";
import { resetHoldEnd } from "#shared/domain/reset-hold";
import { auditOrigin, type Caller, securityMails } from "./caller.ts";
import { commitConfirmed, confirm } from "./confirmation.ts";
import type { Deps } from "./deps.ts";
import { logonsView, pinPolicyRefusal } from "./me.ts";
import { passkeysToRevoke, removeRevokedPasskeys } from "./passkeys.ts";
import { tokenView } from "./tokens.ts";
import { deletedUserOf, finishDeletions, pendingDeletions } from "./user-deletion.ts";

/** What the administrator sees of a user: never a secret, a hash or a strike count. */
export interface UserView {
  userId: string;
  name: string;
  email: string;
  permissions: Permission[];
  limits: Limits;
  status: Principal["status"];
  lock: { reason: string; at: string } | null;
  mustSetPins: boolean;
  token: ReturnType<typeof tokenView>;
  createdAt: string;
  lastLogons: ReturnType<typeof logonsView>;
  /**
   * SES reported the user's address as bouncing for good or complaining: no mail reaches the user until the
   * administrator sets its address again (PATCH with `email`, the same one once the mailbox is fixed).
   */
  mailSuppressed: boolean;
}

/**
 * The administrator looks at another person, not at its own session: the user's latest successful logon is
 * the one to show (GET /v1/me shows the one before it, as the latest is the session asking).
 */
const administratorsLogonsView = (lastLogons: Principal["lastLogons"]): UserView["lastLogons"] =>
  logonsView({ ...lastLogons, previousSucceeded: lastLogons.succeeded ?? null });

const userView = (user: Principal, now: number, mailSuppressed = false): UserView => ({
  userId: user.userId ?? "",
  name: user.name,
  email: user.email,
  permissions: [...user.permissions],
  limits: { ...user.limits },
  status: user.status,
  lock: user.stop ? { reason: user.stop.reason, at: new Date(user.stop.at).toISOString() } : null,
  mustSetPins: user.mustSetPins,
  token: tokenView(user.token, now),
  createdAt: new Date(user.createdAt).toISOString(),
  lastLogons: administratorsLogonsView(user.lastLogons),
  mailSuppressed,
});

const assertAdministrator = (caller: Caller): void => {
  if (!mayManageUsers(caller.principal))
    throw new Refusal("forbidden", "Only the administrator manages users.");
};

// The key holds the caller's contract: another contract's user is simply not there.
const userNotFound = () => new Refusal("not-found", "There is no such user in this contract.");

const readUser = async (deps: Deps, caller: Caller, userId: string): Promise<Principal> => {
  const user = await deps.principals.getPrincipal(caller.contract.contractId, userId);
  if (user?.role !== "user") throw userNotFound();
  return user;
};

const assertGrantable = (caller: Caller, limits: Limits | undefined): void => {
  const refusal = limits
    ? (limitsRefusal(limits, caller.contract) ?? batchLimitsRefusal(limits, caller.contract))
    : undefined;
  if (refusal)
    throw new Refusal("validation", refusal.detail, {
      extensions: { errors: [{ field: refusal.field, rule: refusal.rule }] },
    });
};

/** A user's limits of batches as audit details: `perBatch/daily` per kind set. */
const batchLimitsDetails = (limits: Limits) => ({
  ...(limits.bulk ? { bulk: `${limits.bulk.perBatch}/${limits.bulk.daily}` } : {}),
  ...(limits.salary ? { salary: `${limits.salary.perBatch}/${limits.salary.daily}` } : {}),
});

interface InitialPins {
  initialPin: string;
  initialConfirmationPin: string;
}

/** Initial PINs meet the PIN policy too: the user's first logon replaces them, but they guard it until then. */
const assertInitialPins = (caller: Caller, userId: string, pins: InitialPins): void => {
  const verdict = checkPinPair(
    { logonPin: pins.initialPin, confirmationPin: pins.initialConfirmationPin },
    { contractId: caller.contract.contractId, userId },
  );
  if (!verdict.ok)
    throw pinPolicyRefusal(
      verdict,
      verdict.field === "confirmationPin" ? "initialConfirmationPin" : "initialPin",
    );
};

const hashInitialPins = async (deps: Deps, pins: InitialPins, now: number) => {
  const { pepper } = await deps.keys();
  const [logonPin, confirmationPin] = await Promise.all([
    hashSecret(pepper, pins.initialPin, deps.secretHashing),
    hashSecret(pepper, pins.initialConfirmationPin, deps.secretHashing),
  ]);
  return { logonPin: { hash: logonPin, setAt: now }, confirmationPin: { hash: confirmationPin, setAt: now } };
};

/** The mandatory mails about a user: to the user (every address it had and has) and to the administrator. */
const userMails = (
  deps: Deps,
  caller: Caller,
  now: number,
  template: Mail["template"],
  userEmails: readonly string[],
  params: Mail["params"],
): TransactItem[] =>
  securityMails(deps, caller.contract, { role: "user", email: userEmails }, now, template, params);

const changeAudit = (
  deps: Deps,
  caller: Caller,
  now: number,
  action: string,
  userId: string,
  details?: Record<string, string | number | boolean | null>,
) =>
  deps.audit.entry(caller.contract.contractId, now, {
    action,
    actor: principalLabel(caller.principal),
    target: `user:${userId}`,
    outcome: "succeeded",
    ...auditOrigin(caller),
    ...(details ? { details } : {}),
  });

const userGone = (reasons: { Code?: string | undefined }[]) =>
  reasons[0]?.Code === "ConditionalCheckFailed" ? userNotFound() : undefined;

/** GET /v1/users: every user of the caller's contract. */
export const listUsers = async (deps: Deps, caller: Caller): Promise<{ items: UserView[] }> => {
  assertAdministrator(caller);
  const now = deps.clock.now();
  const users = await deps.users.readUsers(caller.contract.contractId);
  const suppressed = await deps.mail.suppressedAmong(users.map((user) => user.email));
  return {
    items: users.map((user) => userView(user, now, suppressed.has(user.email.toLowerCase()))),
  };
};

/** GET /v1/users/{userId}. */
export const getUser = async (deps: Deps, caller: Caller, userId: string): Promise<UserView> => {
  assertAdministrator(caller);
  const user = await readUser(deps, caller, userId);
  return userView(user, deps.clock.now(), await deps.mail.isSuppressed(user.email));
};

export interface CreateUserCommand extends InitialPins {
  userId: string;
  name: string;
  email: string;
  permissions: Permission[];
  limits: Limits;
  confirmationPin: string;
}

/**
 * POST /v1/users. The user must replace both initial PINs at its first logon. User IDs are unique in
 * the contract without regard to case (the key scheme folds them): a taken one is a 409.
 */
export const createUser = async (
  deps: Deps,
  caller: Caller,
  command: CreateUserCommand,
): Promise<UserView> => {
  assertAdministrator(caller);
  assertGrantable(caller, command.limits);
  assertInitialPins(caller, command.userId, command);
  const confirmed = await confirm(deps, caller, command.confirmationPin, { action: "user.created" });
  const now = deps.clock.now();
  const user = newPrincipal(
    {
      contractId: caller.contract.contractId,
      role: "user",
      userId: command.userId,
      name: command.name,
      email: command.email,
      permissions: command.permissions,
      limits: command.limits,
      secrets: await hashInitialPins(deps, command, now),
    },
    now,
  );
  await commitConfirmed(
    deps,
    caller,
    "confirmationPin",
    confirmed,
    [
      deps.users.userCreated(user),
      changeAudit(deps, caller, now, "user.created", command.userId, {
        permissions: command.permissions.join(","),
        perTransfer: command.limits.perTransfer,
        daily: command.limits.daily,
        ...batchLimitsDetails(command.limits),
      }),
      ...userMails(deps, caller, now, "user-created", [command.email], { userId: command.userId, at: now }),
      // The administrator gives the address: mail to it goes, whatever SES reported about it before.
      deps.mail.liftSuppression(command.email),
    ],
    (reasons) =>
      reasons[0]?.Code === "ConditionalCheckFailed"
        ? new Refusal(
            "conflict",
            "A user with this user ID already exists in the contract (letter case does not count).",
          )
        : undefined,
  );
  return userView(user, deps.clock.now());
};

export interface ChangeUserCommand {
  name?: string | undefined;
  email?: string | undefined;
  permissions?: Permission[] | undefined;
  limits?: Limits | undefined;
  confirmationPin: string;
}

/** PATCH /v1/users/{userId}: name, e-mail address, permissions and limits; the rest is untouched. */
export const changeUser = async (
  deps: Deps,
  caller: Caller,
  userId: string,
  command: ChangeUserCommand,
): Promise<UserView> => {
  assertAdministrator(caller);
  assertGrantable(caller, command.limits);
  const user = await readUser(deps, caller, userId);
  const confirmed = await confirm(deps, caller, command.confirmationPin, { action: "user.changed" });
  const now = deps.clock.now();
  const changes = Object.fromEntries(
    (["name", "email", "permissions", "limits"] as const).flatMap((field) =>
      command[field] === undefined ? [] : [[field, command[field]]],
    ),
  ) as Partial<Pick<Principal, "name" | "email" | "permissions" | "limits">>;
  const fields = Object.keys(changes);
  await commitConfirmed(
    deps,
    caller,
    "confirmationPin",
    confirmed,
    [
      deps.users.userChanged({ contractId: caller.contract.contractId, userId }, changes, now),
      changeAudit(deps, caller, now, "user.changed", user.userId ?? userId, {
        changed: fields.join(","),
        ...(changes.permissions ? { permissions: changes.permissions.join(",") } : {}),
        ...(changes.limits
          ? {
              perTransfer: changes.limits.perTransfer,
              daily: changes.limits.daily,
              ...batchLimitsDetails(changes.limits),
            }
          : {}),
      }),
      // A changed address is told at the old one too: that is where the real user still reads mail.
      ...userMails(
        deps,
        caller,
        now,
        "user-changed",
        [user.email, ...(changes.email ? [changes.email] : [])],
        {
          userId: user.userId,
          changed: fields.join(","),
          at: now,
        },
      ),
      // The administrator sets the address (a new one, or the same once its mailbox is fixed): mail to it
      // goes again, even if SES had reported it bouncing or complaining.
      ...(changes.email ? [deps.mail.liftSuppression(changes.email)] : []),
    ],
    userGone,
  );
  const mailSuppressed = changes.email ? false : await deps.mail.isSuppressed(user.email);
  return userView({ ...user, ...changes, updatedAt: now }, deps.clock.now(), mailSuppressed);
};

/**
 * POST /v1/users/{userId}/reset-pins: new initial PINs for a user who forgot its own; it must replace
 * them at its next logon, and every session it has open ends now (the session generation moves on).
 * It may not sign or approve until the contract's reset hold has passed (decision 011). A lock stays:
 * unlocking is its own operation.
 */
export const resetUserPins = async (
  deps: Deps,
  caller: Caller,
  userId: string,
  command: InitialPins & { confirmationPin: string },
): Promise<UserView> => {
  assertAdministrator(caller);
  const user = await readUser(deps, caller, userId);
  assertInitialPins(caller, user.userId ?? userId, command);
  const confirmed = await confirm(deps, caller, command.confirmationPin, { action: "user.pins-reset" });
  const now = deps.clock.now();
  const secrets = await hashInitialPins(deps, command, now);
  // Its passkeys go with its PINs: whoever reset them may have been let in by one (design §13).
  const passkeys = await passkeysToRevoke(deps, caller.contract, user);
  const holdUntil = resetHoldEnd(caller.contract, now);
  await commitConfirmed(
    deps,
    caller,
    "confirmationPin",
    confirmed,
    [
      // The administrator knows the new PINs: the user may not sign or approve until the hold ends.
      deps.users.userPinsReset({ contractId: caller.contract.contractId, userId }, secrets, holdUntil, now),
      changeAudit(deps, caller, now, "user.pins-reset", user.userId ?? userId, {
        holdUntil,
        passkeysRevoked: passkeys.length,
      }),
      // The user learns of it at its own address, with the hold's end: if it did not ask, it calls the bank.
      ...userMails(deps, caller, now, "user-pins-reset", [user.email], {
        userId: user.userId,
        at: now,
        holdUntil,
      }),
    ],
    userGone,
  );
  await removeRevokedPasskeys(deps, passkeys);
  return userView(
    { ...user, secrets, mustSetPins: true, resetHoldUntil: holdUntil, updatedAt: now },
    deps.clock.now(),
  );
};

/**
 * POST /v1/users/{userId}/unlock: a user locked by its strikes or stopped by its own emergency stop
 * resumes with fresh strike counts. Refused while the contract is stopped (the bank restarts it first)
 * and for a user who is not stopped. Its sessions ended with the stop and stay ended.
 */
export const unlockUser = async (
  deps: Deps,
  caller: Caller,
  userId: string,
  command: { confirmationPin: string },
): Promise<UserView> => {
  assertAdministrator(caller);
  const user = await readUser(deps, caller, userId);
  if (unlockRefusal(caller.contract, user) === "not-stopped")
    throw new Refusal("conflict", "This user is not locked or stopped.");
  const confirmed = await confirm(deps, caller, command.confirmationPin, { action: "user.unlocked" });
  const now = deps.clock.now();
  await commitConfirmed(
    deps,
    caller,
    "confirmationPin",
    confirmed,
    [
      deps.users.userUnlocked({ contractId: caller.contract.contractId, userId }, now),
      changeAudit(deps, caller, now, "user.unlocked", user.userId ?? userId, {
        reason: user.stop?.reason ?? null,
      }),
      ...userMails(deps, caller, now, "user-unlocked", [user.email], { userId: user.userId, at: now }),
    ],
    (reasons) =>
      reasons[0]?.Code === "ConditionalCheckFailed"
        ? new Refusal("conflict", "This user is not locked or stopped (it may just have been unlocked).")
        : undefined,
  );
  const { stop: _stop, ...resumed } = user;
  return userView({ ...resumed, status: "active", strikes: {}, updatedAt: now }, deps.clock.now());
};

/**
 * DELETE /v1/users/{userId}: the user goes, and in the same transaction every session, transfer,
 * certificate and Idempotency-Key of it becomes useless (they are of its instance: instance.ts), the
 * deletion is recorded, audited and mailed. Then its open transfers are cancelled and its certificates
 * revoked (user-deletion.ts), as are those of any earlier deletion of the contract left unfinished. A user
 * already deleted whose clean-up is unfinished is deleted again by finishing it. Its audit trail stays.
 */
export const deleteUser = async (
  deps: Deps,
  caller: Caller,
  userId: string,
  command: { confirmationPin: string },
): Promise<void> => {
  assertAdministrator(caller);
  const user = await readUser(deps, caller, userId).catch(async (error: unknown) => {
    if (!(error instanceof Refusal) || error.slug !== "not-found") throw error;
    const unfinished = await pendingDeletions(deps, caller.contract.contractId, userId);
    if (unfinished.length === 0) throw error;
    return undefined;
  });
  const confirmed = await confirm(deps, caller, command.confirmationPin, { action: "user.deleted" });
  if (!user) {
    await commitConfirmed(deps, caller, "confirmationPin", confirmed, []);
    await finishDeletions(deps, caller);
    return;
  }
  const now = deps.clock.now();
  // Its passkeys die with its instance; their items are removed once it is deleted.
  const passkeys = await passkeysToRevoke(deps, caller.contract, user);
  await commitConfirmed(
    deps,
    caller,
    "confirmationPin",
    confirmed,
    [
      ...deps.users.userDeleted(user, deletedUserOf(user, now)),
      changeAudit(deps, caller, now, "user.deleted", user.userId ?? userId, {
        passkeysRevoked: passkeys.length,
      }),
      ...userMails(deps, caller, now, "user-deleted", [user.email], { userId: user.userId, at: now }),
    ],
    userGone,
  );
  await removeRevokedPasskeys(deps, passkeys);
  await finishDeletions(deps, caller);
};
