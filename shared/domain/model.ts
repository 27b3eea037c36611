// The product's nouns: contracts, principals (administrator and users), their secrets, sessions.
// Types only; the rules live in their own modules (pin-policy, lockout, permissions).

export type LockMode = "unlinked" | "linked";
export type OtpMethod = "token" | "card";
export type ContractStatus = "active" | "stopped";
export type Role = "admin" | "user";
export type Channel = "web" | "mobile";

export const permissions = ["accounts:view", "transfers:create", "transfers:approve", "audit:view"] as const;
export type Permission = (typeof permissions)[number];

/** Events a principal may choose to be mailed about (Select E-mail); security mails are not optional. */
export const optionalEvents = [
  "logon",
  "transfer-created",
  "transfer-approved",
  "transfer-executed",
  "transfer-rejected",
  "settings-changed",
] as const;
export type OptionalEvent = (typeof optionalEvents)[number];

/** The secrets that are checked against a stored hash and count strikes (design §1, §2). */
export type PinKind = "registrationPin" | "logonPin" | "confirmationPin";
/** Every secret whose wrong entries count strikes; each has its own count. */
export type StrikeKind =
  | "logonPin"
  | "confirmationPin"
  | "otp"
  | "card"
  | "transactionCode"
  | "activationPassword";

export type PendingStep = "otp" | "card" | "set-pins" | "register-token" | "certificate";

export interface Limits {
  /** Yen per transfer. */
  perTransfer: number;
  /** Yen per JST calendar day, executed transfers. */
  daily: number;
}

/**
 * Why a contract or principal is stopped (lockout.ts says who may resume it): a lock after the 7th
 * wrong entry of a secret (the administrator's, or a user's), or an emergency stop.
 */
export type StopReason = "admin-locked" | "user-locked" | "emergency-stop";

export interface Stop {
  reason: StopReason;
  at: number;
  /** Who caused it: `admin`, a user ID, or `ops`. */
  by: string;
}

export interface Contract {
  contractId: string;
  name: string;
  adminEmail: string;
  lockMode: LockMode;
  otpMethod: OtpMethod;
  userOtpRequired: boolean;
  certificateRequired: boolean;
  approvalRequired: boolean;
  dailyLimit: number;
  status: ContractStatus;
  stop?: Stop;
  /** Moved on by every contract stop: sessions opened before it are over (lockout.ts). */
  sessionGeneration?: number;
  createdAt: number;
}

export interface StoredSecret {
  /** Self-describing hash: algorithm, parameters, salt and digest (secret-hash.ts). */
  hash: string;
  setAt: number;
}

export interface LogonRecord {
  at: number;
  channel: Channel;
  sourceIp: string;
}

export type PrincipalStatus = "active" | "locked" | "stopped";

export interface Principal {
  contractId: string;
  role: Role;
  /** `null` for the administrator, who logs on with the contract ID alone. */
  userId: string | null;
  name: string;
  email: string;
  permissions: Permission[];
  limits: Limits;
  status: PrincipalStatus;
  stop?: Stop;
  secrets: Partial<Record<PinKind, StoredSecret>>;
  /** First logon, or after a reset: the logon and confirmation PINs must be replaced before anything else. */
  mustSetPins: boolean;
  strikes: Partial<Record<StrikeKind, number>>;
  /** When the latest strike of any secret was counted (lockout.ts uses it to tell a lost lock from a guess in flight). */
  lastStrikeAt?: number;
  /** `previousSucceeded`: the successful logon before the latest, which is what a signed-in person is shown. */
  lastLogons: { succeeded?: LogonRecord; previousSucceeded?: LogonRecord | null; failed?: LogonRecord };
  channels: Record<Channel, boolean>;
  notifications: OptionalEvent[];
  /** Bumped to end every open session of the principal at once (PIN reset, administrator reset). */
  sessionGeneration: number;
  createdAt: number;
  updatedAt: number;
}

export interface Session {
  sessionId: string;
  contractId: string;
  role: Role;
  userId: string | null;
  /** Steps still to do, in order; empty when fully authenticated. */
  pending: PendingStep[];
  channel: Channel;
  sessionGeneration: number;
  /** The contract's session generation at logon; absent on sessions of contracts never stopped. */
  contractGeneration?: number;
  createdAt: number;
  /** Epoch ms after which an unused session is over. */
  idleUntil: number;
  /** Epoch ms after which the session is over, used or not. */
  endsAt: number;
}

/** Who is acting, as audit items and authorisation see it. */
export interface Actor {
  contractId: string;
  role: Role | "ops";
  userId: string | null;
}

/** A principal as it starts: active, no strikes, both channels on, no optional mail, PINs to set at first logon. */
export const newPrincipal = (
  fields: Pick<
    Principal,
    "contractId" | "role" | "userId" | "name" | "email" | "permissions" | "limits" | "secrets"
  >,
  now: number,
): Principal => ({
  ...fields,
  status: "active",
  mustSetPins: true,
  strikes: {},
  lastLogons: {},
  channels: { web: true, mobile: true },
  notifications: [],
  sessionGeneration: 0,
  createdAt: now,
  updatedAt: now,
});

export const principalLabel = (principal: { role: Role; userId: string | null }): string =>
  principal.role === "admin" ? "admin" : `user:${principal.userId}`;
