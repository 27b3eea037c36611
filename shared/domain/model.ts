// The product's nouns: contracts, principals (administrator and users), their secrets, sessions.
// Types only; the rules live in their own modules (pin-policy, lockout, permissions, instance).
import { newInstanceId } from "./instance.ts";

export type LockMode = "unlinked" | "linked";
export type OtpMethod = "token" | "card";
export type ContractStatus = "active" | "stopped";
export type Role = "admin" | "user";
export type Channel = "web" | "mobile";
/** Whether a transfer may name a payee typed into it (都度指定) instead of one of the payee book. */
export type AdHocPayees = "allowed" | "refused";

/**
 * A principal keeps at least one channel on: with both off nobody could switch them back on, and
 * stopping every logon is what the emergency stop is for.
 */
export const keepsAChannelOn = (channels: Record<Channel, boolean>): boolean =>
  channels.web || channels.mobile;

export const permissions = [
  "accounts:view",
  "transfers:create",
  "transfers:approve",
  "audit:view",
  "payees:manage",
  /** Salary and bonus batches (給与・賞与振込) and their lines are confidential: seen only with this. */
  "payroll:view",
  /** Approving a salary or bonus batch (design §11: `payroll:approve` in place of `transfers:approve`). */
  "payroll:approve",
] as const;
export type Permission = (typeof permissions)[number];

/** Events a principal may choose to be mailed about (Select E-mail); security mails are not optional. */
export const optionalEvents = [
  "logon",
  "transfer-created",
  "transfer-approved",
  "transfer-executed",
  "transfer-rejected",
  "settings-changed",
  "approval-requested",
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
  | "activationPassword"
  /** A passkey whose signature counter did not advance (a cloned authenticator, passkeys.ts). */
  | "passkey";

/** The steps a logon may still owe after its PIN, in the API's words (design §3). */
export const pendingSteps = ["otp", "card", "set-pins", "register-token", "certificate"] as const;
export type PendingStep = (typeof pendingSteps)[number];

/** The kinds of payment an approval policy covers: a single transfer, 総合振込 and 給与・賞与振込. */
export const paymentKinds = ["single", "bulk", "salary"] as const;
export type PaymentKind = (typeof paymentKinds)[number];

/**
 * One tier of an approval policy (approval-policy.ts holds its rules): payments up to `upTo` yen
 * (inclusive; `null`: every amount above the tier before) need `approvals` approvals by distinct
 * principals other than the creator. `ordered`: given in turn (一次承認 … 最終承認). `lastBy: "admin"`:
 * one of them is the administrator's — the last one where the tier is ordered.
 */
export interface ApprovalTier {
  upTo: number | null;
  approvals: number;
  ordered: boolean;
  lastBy: "admin" | null;
}

/** A contract's approval policy: for each kind, its tiers by ascending amount; none means no approval. */
export type ApprovalPolicy = Record<PaymentKind, ApprovalTier[]>;

export interface Limits {
  /** Yen per transfer. */
  perTransfer: number;
  /** Yen per JST calendar day, executed transfers. */
  daily: number;
  /**
   * A user's limits for batches, per kind (総合振込 `bulk`, 給与・賞与 `salary`): per batch and per day,
   * set by the administrator, never above the contract's. Absent: the user's per-day limit for both.
   */
  bulk?: BatchLimits;
  salary?: BatchLimits;
}

/** A user's limits for one kind of batch. */
export interface BatchLimits {
  /** Yen per batch (its total). */
  perBatch: number;
  /** Yen per JST calendar day, executed batches of the kind. */
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
  /** The one-tier shorthand of the approval policy: kept equal to whether a single transfer needs approval. */
  approvalRequired: boolean;
  /** Set by the administrator (PUT /v1/contract/approval-policy); absent: the one `approvalRequired` stands for. */
  approvalPolicy?: ApprovalPolicy;
  dailyLimit: number;
  /**
   * Hours a user may not sign or approve after the administrator reset its PINs (decision 011); set by
   * the bank when it opens the contract. Absent on contracts opened before the setting: the default.
   */
  resetHoldHours?: number;
  /**
   * First-use protection of payees (design §10, payee.ts), set by the bank when it opens the contract.
   * Absent on contracts opened before the settings: their defaults.
   */
  payeeCoolingOff?: boolean;
  adHocPayees?: AdHocPayees;
  firstUseLimit?: number | null;
  /**
   * How many calendar days ahead a transfer may be dated (予約振込, scheduling.ts); set by the bank when
   * it opens the contract. Absent on contracts opened before the setting: the default (60).
   */
  executionWindowDays?: number;
  /**
   * 委託者コード (振込依頼人コード): the 10 digits the bank gives the company for its Zengin files, assigned
   * when the contract is opened. Absent on contracts opened before bulk transfers: they upload no file.
   */
  requesterCode?: string;
  /**
   * The bank's daily limit per kind of payment (batch-limits.ts); absent: `dailyLimit` for every kind.
   * `single` is `dailyLimit` itself.
   */
  dailyLimits?: { bulk: number; salary: number };
  /** Salary and bonus batches are uploaded at least this many business days before their date (default 3). */
  salaryCutoffBusinessDays?: number;
  status: ContractStatus;
  stop?: Stop;
  /** Moved on by every contract stop: sessions opened before it are over (lockout.ts). */
  sessionGeneration?: number;
  /**
   * Whether a passkey logon is still asked the one-time password or card step (design §13); set by the
   * bank when it opens the contract. Absent on contracts opened before passkeys: asked.
   */
  passkeyOtpRequired?: boolean;
  /** Moved on by the bank's revocation of every passkey of the contract (passkeys.ts); absent: 0. */
  passkeyGeneration?: number;
  /** Card contracts only. */
  card?: CustomerCard;
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

/**
 * A software token's life (design §4, reference 003): issued (waiting for the app) → provisioned (the
 * app took the secret) → active (a first code proved it) → stopped (7 wrong codes; the bank resets it).
 */
export type TokenStatus = "issued" | "provisioned" | "active" | "stopped";

export interface SoftwareToken {
  /** Shown to the principal and typed into the app with the token ID and the activation password. */
  serviceId: string;
  tokenId: string;
  status: TokenStatus;
  /** The TOTP and OCRA key, sealed (secret-box.ts); it leaves the server once, at provisioning. */
  secret: string;
  activationPassword: StoredSecret;
  /** Where the download link went. */
  mobileEmail: string;
  issuedAt: number;
  provisionedAt?: number;
  activatedAt?: number;
  expiresAt?: number;
  /** The latest TOTP time step accepted: no code of it or of an earlier step is accepted again. */
  lastUsedStep: number;
}

/** The customer card of a card contract: cell values sealed (secret-box.ts), never shown again. */
export interface CustomerCard {
  cells: string;
  issuedAt: number;
}

/**
 * The card cells a principal is asked at logon (one-time-passwords.ts): one pair from its draw until it
 * is answered right, however many logons ask it meanwhile.
 */
export interface CardChallenge {
  /** Two cells, in card order. */
  positions: string[];
  /** Counts the pairs drawn for the principal, so a session's card step names the pair it was asked. */
  number: number;
  /** When the pair was answered right; the next logon draws another. */
  answeredAt?: number;
}

export interface Principal {
  contractId: string;
  role: Role;
  /** `null` for the administrator, who logs on with the contract ID alone. */
  userId: string | null;
  /**
   * Drawn when the principal is created (instance.ts): a user created again under a deleted user's ID is
   * another instance. Absent on principals stored before instance IDs existed.
   */
  instanceId?: string;
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
  token?: SoftwareToken;
  /** The card cells logons ask until they are answered right (card contracts). */
  cardChallenge?: CardChallenge;
  /** When the latest strike of any secret was counted (lockout.ts uses it to tell a lost lock from a guess in flight). */
  lastStrikeAt?: number;
  /** `previousSucceeded`: the successful logon before the latest, which is what a signed-in person is shown. */
  lastLogons: { succeeded?: LogonRecord; previousSucceeded?: LogonRecord | null; failed?: LogonRecord };
  channels: Record<Channel, boolean>;
  notifications: OptionalEvent[];
  /**
   * Until when (epoch ms) the principal may not sign or approve: set by the administrator's reset of its
   * PINs, and moved on by a token issued before it ends (reset-hold.ts).
   */
  resetHoldUntil?: number;
  /** Bumped to end every open session of the principal at once (PIN reset, administrator reset). */
  sessionGeneration: number;
  /** Moved on to revoke every passkey of the principal at once (a PIN reset); absent: 0. */
  passkeyGeneration?: number;
  createdAt: number;
  updatedAt: number;
}

/** A passkey's life: active until its owner or the administrator deletes it, or a counter that does not advance stops it. */
export type PasskeyStatus = "active" | "stopped";

/**
 * A passkey (WebAuthn credential) of one principal instance (design §13). It is valid only while the
 * principal's and the contract's passkey generations are the ones it was registered under.
 */
export interface Passkey {
  passkeyId: string;
  contractId: string;
  userId: string | null;
  instanceId?: string;
  /** The principal's own name for it: "office PC", "iPhone". */
  name: string;
  /** The WebAuthn credential ID, base64url. */
  credentialId: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  /** The authenticator's signature counter as last seen; 0 when it keeps none. */
  counter: number;
  transports: string[];
  status: PasskeyStatus;
  principalGeneration: number;
  contractGeneration: number;
  createdAt: number;
  lastUsedAt?: number;
  stoppedAt?: number;
}
export interface Session {
  sessionId: string;
  contractId: string;
  role: Role;
  userId: string | null;
  /** The principal's instance at logon (instance.ts); absent on sessions of principals stored without one. */
  instanceId?: string;
  /** Steps still to do, in order; empty when fully authenticated. */
  pending: PendingStep[];
  channel: Channel;
  sessionGeneration: number;
  /** The client certificate (RFC 8705 `x5t#S256`) the session is bound to, in certificate contracts. */
  certificateThumbprint?: string;
  /** The card cells this session's `card` step asks for: the principal's challenge at logon. */
  cardChallenge?: Pick<CardChallenge, "positions" | "number">;
  /** The contract's session generation at logon; absent on sessions of contracts never stopped. */
  contractGeneration?: number;
  createdAt: number;
  /** Epoch ms after which an unused session is over. */
  idleUntil: number;
  /** Epoch ms after which the session is over, used or not. */
  endsAt: number;
  /** Epoch ms it was ended (logout, a stop found by a request); absent while it is open. */
  revokedAt?: number;
}

/** Who is acting, as audit items and authorisation see it. */
export interface Actor {
  contractId: string;
  role: Role | "ops";
  userId: string | null;
}

/**
 * A principal as it starts: a new instance, active, no strikes, both channels on, no optional mail, PINs
 * to set at first logon.
 */
export const newPrincipal = (
  fields: Pick<
    Principal,
    "contractId" | "role" | "userId" | "name" | "email" | "permissions" | "limits" | "secrets"
  >,
  now: number,
): Principal => ({
  ...fields,
  instanceId: newInstanceId(),
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
