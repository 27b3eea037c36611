// What each route answers: the shapes of the API's responses and problem details as valibot schemas,
// and per route its success status and body. The OpenAPI document is built from these and the request
// schemas; the type tests hold each shape equal to what its service returns, so neither can drift.
import * as v from "valibot";
import { batchStatuses } from "#shared/domain/batch";
import { optionalEvents, pendingSteps, permissions } from "#shared/domain/model";
import type { ProblemSlug } from "./problems.ts";
import type { RouteGroup, RouteKeyOf } from "./routes.ts";

const isoTime = v.pipe(v.string(), v.description("An instant, ISO 8601 in UTC: `2026-12-04T09:00:00.000Z`."));
const yen = v.pipe(v.number(), v.integer(), v.description("Whole yen."));
const role = v.picklist(["admin", "user"]);
const channel = v.picklist(["web", "mobile"]);
const pendingStep = v.picklist(pendingSteps);
const accountType = v.picklist(["ordinary", "checking"]);
const ownPin = v.picklist(["logonPin", "confirmationPin"]);

export const PendingStep = v.pipe(
  v.nullable(pendingStep),
  v.description("The logon step still to do, or `null` when the session is fully authenticated."),
);

export const Logon = v.object({
  token: v.pipe(v.string(), v.description("The session token, for `Authorization: Bearer`.")),
  pending: PendingStep,
  card: v.optional(
    v.pipe(
      v.object({ positions: v.array(v.string()) }),
      v.description("The customer card cells the `card` step asks for, e.g. `C4`."),
    ),
  ),
  expiresAt: v.pipe(isoTime, v.description("The session's absolute end.")),
  idleSeconds: v.pipe(
    v.number(),
    v.integer(),
    v.description("A session unused for this long ends; every request starts the time again."),
  ),
});

export const StepAnswer = v.object({ pending: PendingStep });

export const PasskeyOptions = v.pipe(
  v.looseObject({ challenge: v.string() }),
  v.description(
    "WebAuthn options as @simplewebauthn/server's generate…Options make them (PublicKeyCredential…OptionsJSON), for the browser's ceremony.",
  ),
);

export const RegisteredPasskey = v.object({ passkeyId: v.string() });

export const Passkey = v.object({
  passkeyId: v.string(),
  name: v.string(),
  status: v.pipe(
    v.picklist(["active", "stopped"]),
    v.description(
      "`stopped`: its signature counter did not advance (a copied authenticator); it cannot log on.",
    ),
  ),
  createdAt: isoTime,
  lastUsedAt: v.nullable(isoTime),
  stoppedAt: v.nullable(isoTime),
});

export const PasskeyList = v.object({ items: v.array(Passkey) });

export const PasskeysRevoked = v.object({
  revoked: v.pipe(v.number(), v.integer(), v.description("How many passkeys were revoked.")),
});

export const BatchLimits = v.object({ perBatch: yen, daily: yen });
export const Limits = v.object({
  perTransfer: yen,
  daily: yen,
  bulk: v.optional(
    v.pipe(BatchLimits, v.description("総合振込: per batch and per day; absent: `daily` for both.")),
  ),
  salary: v.optional(
    v.pipe(BatchLimits, v.description("給与・賞与振込: per batch and per day; absent: `daily` for both.")),
  ),
});

export const LogonRecord = v.object({ at: isoTime, channel, sourceIp: v.string() });

export const LastLogons = v.object({
  succeeded: v.pipe(
    v.nullable(LogonRecord),
    v.description("The successful logon before this session's (signed in, the latest is this one)."),
  ),
  failed: v.nullable(LogonRecord),
});

export const TokenState = v.object({
  status: v.picklist(["issued", "provisioned", "active", "stopped", "expired"]),
  serviceId: v.string(),
  tokenId: v.string(),
  issuedAt: v.nullable(isoTime),
  expiresAt: v.nullable(isoTime),
});

export const MeWarning = v.variant("code", [
  v.object({ code: v.literal("pin-expiring"), secret: ownPin }),
  v.object({ code: v.literal("token-expiring"), expiresAt: v.nullable(isoTime) }),
  v.object({
    code: v.literal("certificate-expiring"),
    serialNumber: v.string(),
    notAfter: isoTime,
    within: v.pipe(
      v.picklist([30, 10]),
      v.description("Days: the certificate ends within 30, or within 10. Renew it in the console."),
    ),
  }),
]);

export const ApprovalTier = v.object({
  upTo: v.pipe(v.nullable(yen), v.description("Inclusive; `null`: every amount above the tier before.")),
  approvals: v.pipe(
    v.number(),
    v.integer(),
    v.description("Approvals by distinct principals, never the creator."),
  ),
  ordered: v.pipe(v.boolean(), v.description("Given in turn: 一次承認 … 最終承認.")),
  lastBy: v.pipe(
    v.nullable(v.literal("admin")),
    v.description("`admin`: one approval is the administrator's — the last one where the tier is ordered."),
  ),
});

export const ApprovalPolicy = v.pipe(
  v.object({
    single: v.array(ApprovalTier),
    bulk: v.array(ApprovalTier),
    salary: v.array(ApprovalTier),
  }),
  v.description("Tiers by ascending amount per kind of payment; an empty list: no approval."),
);

/** The contract's settings, set by the bank, as both the principal and bank operations see them. */
const contractSettings = {
  lockMode: v.picklist(["unlinked", "linked"]),
  otpMethod: v.picklist(["token", "card"]),
  userOtpRequired: v.boolean(),
  certificateRequired: v.boolean(),
  approvalRequired: v.pipe(
    v.boolean(),
    v.description("The one-tier shorthand of `approvalPolicy`: whether a single transfer needs approval."),
  ),
  approvalPolicy: ApprovalPolicy,
  passkeyOtpRequired: v.pipe(
    v.boolean(),
    v.description("Whether a passkey logon is still asked the one-time password or card step."),
  ),
  dailyLimit: yen,
  resetHoldHours: v.pipe(
    v.number(),
    v.integer(),
    v.description("Hours a user may not sign or approve after the administrator resets its PINs or token."),
  ),
  payeeCoolingOff: v.pipe(
    v.boolean(),
    v.description("A payee registered or changed receives transfers from the next business day (JST) on."),
  ),
  adHocPayees: v.pipe(
    v.picklist(["allowed", "refused"]),
    v.description("Whether a transfer may name a payee typed into it instead of one of the payee book."),
  ),
  firstUseLimit: v.pipe(
    v.nullable(yen),
    v.description("The most the first transfer to a payee may carry (yen); `null`: no cap."),
  ),
  requesterCode: v.pipe(
    v.nullable(v.string()),
    v.description(
      "委託者コード: the 10 digits a Zengin file's header must carry for this contract; `null` on contracts opened before bulk transfers.",
    ),
  ),
  dailyLimits: v.pipe(
    v.object({ single: yen, bulk: yen, salary: yen }),
    v.description("The bank's daily limit per kind: single transfers, 総合振込, 給与・賞与振込."),
  ),
  salaryCutoffBusinessDays: v.pipe(
    v.number(),
    v.integer(),
    v.description(
      "Salary and bonus batches are uploaded at least this many business days before their date.",
    ),
  ),
};

export const Me = v.object({
  contractId: v.string(),
  contract: v.object({
    name: v.string(),
    ...contractSettings,
    lockoutThreshold: v.pipe(
      v.number(),
      v.integer(),
      v.description(
        "Wrong entries in a row of one secret (a PIN, the one-time password, the card) that stop the principal.",
      ),
    ),
  }),
  userId: v.pipe(v.nullable(v.string()), v.description("`null` for the administrator.")),
  role,
  name: v.string(),
  email: v.string(),
  permissions: v.array(v.picklist(permissions)),
  limits: Limits,
  channels: v.object({ web: v.boolean(), mobile: v.boolean() }),
  notifications: v.array(v.picklist(optionalEvents)),
  token: v.nullable(TokenState),
  lastLogons: LastLogons,
  warnings: v.array(MeWarning),
});

export const Notifications = v.object({ notifications: v.array(v.picklist(optionalEvents)) });
export const Channels = v.object({ channels: v.object({ web: v.boolean(), mobile: v.boolean() }) });

export const IssuedToken = v.object({
  serviceId: v.string(),
  tokenId: v.string(),
  status: v.literal("issued"),
});
export const TokenProvisioning = v.object({
  otpauthUri: v.string(),
  ocraSuite: v.string(),
  secret: v.pipe(v.string(), v.description("The base32 key of `otpauthUri`, for TOTP and OCRA alike.")),
});
export const ActivatedToken = v.object({
  status: v.literal("active"),
  expiresAt: isoTime,
  pending: PendingStep,
});
export const RenewedToken = v.object({ expiresAt: isoTime });

export const User = v.object({
  userId: v.string(),
  name: v.string(),
  email: v.string(),
  permissions: v.array(v.picklist(permissions)),
  limits: Limits,
  status: v.picklist(["active", "locked", "stopped"]),
  lock: v.nullable(v.object({ reason: v.string(), at: isoTime })),
  mustSetPins: v.boolean(),
  token: v.nullable(TokenState),
  createdAt: isoTime,
  lastLogons: LastLogons,
  mailSuppressed: v.pipe(
    v.boolean(),
    v.description(
      "SES reported the address bouncing for good or complaining: no mail reaches the user until its address is set again.",
    ),
  ),
});
export const UserList = v.object({ items: v.array(User) });

export const Account = v.object({
  accountId: v.string(),
  name: v.string(),
  bankCode: v.pipe(
    v.string(),
    v.description("The bank's 全銀 code: a Zengin file's header (仕向銀行) names it for this account."),
  ),
  branchCode: v.string(),
  accountType: v.string(),
  accountNumber: v.string(),
  balance: yen,
});
export const AccountList = v.object({ items: v.array(Account) });

export const Payee = v.object({
  bankCode: v.string(),
  branchCode: v.string(),
  accountType,
  accountNumber: v.string(),
  name: v.string(),
});

export const LedgerEntry = v.object({
  entryId: v.string(),
  at: isoTime,
  kind: v.picklist(["opening", "transfer", "batch"]),
  direction: v.picklist(["credit", "debit"]),
  amount: v.pipe(yen, v.description("Whole yen, always positive: `direction` says which way.")),
  transferId: v.optional(v.string()),
  payee: v.optional(Payee),
  batchId: v.optional(
    v.pipe(v.string(), v.description("A batch (総合振込) debited as one entry of its total.")),
  ),
  count: v.optional(v.pipe(v.number(), v.integer(), v.description("The batch's number of payments."))),
});

const cursor = v.optional(
  v.pipe(v.string(), v.description("Present when another page follows: send it as `cursor` to read it.")),
);
export const LedgerPage = v.object({ items: v.array(LedgerEntry), cursor });

export const Challenge = v.object({
  question: v.pipe(v.string(), v.description("The OCRA question the transaction code answers.")),
  payee: Payee,
  amount: yen,
  executionDate: v.optional(
    v.pipe(
      v.string(),
      v.description("A scheduled transfer's designated date, YYYY-MM-DD, covered by the question."),
    ),
  ),
});

export const TransferStatus = v.picklist([
  "awaiting-signature",
  "awaiting-approval",
  "executed",
  "rejected",
  "cancelled",
  "expired",
  "scheduled",
  "failed",
]);

const actor = v.object({ role, userId: v.nullable(v.string()), at: isoTime });
export const TransferActor = actor;

export const Transfer = v.object({
  transferId: v.string(),
  reference: v.pipe(
    v.string(),
    v.description("The reference (受付番号) the customer quotes: `XXXX-XXXX`, from the transfer ID."),
  ),
  status: TransferStatus,
  fromAccountId: v.string(),
  from: v.object({
    accountId: v.string(),
    name: v.string(),
    branchCode: v.string(),
    accountType: v.string(),
    accountNumber: v.string(),
  }),
  payee: Payee,
  amount: yen,
  created: v.nullable(actor),
  signed: v.nullable(actor),
  approved: v.pipe(v.nullable(actor), v.description("The approval that completed it (the last one).")),
  approvals: v.pipe(
    v.nullable(
      v.object({
        required: v.pipe(v.number(), v.integer(), v.description("Approvals its tier needs.")),
        upTo: v.nullable(yen),
        ordered: v.boolean(),
        lastBy: v.nullable(v.literal("admin")),
        given: v.pipe(
          v.array(v.object({ by: v.object({ role, userId: v.nullable(v.string()) }), at: isoTime })),
          v.description("In the order given: the first is 一次承認."),
        ),
        missing: v.pipe(v.number(), v.integer()),
        next: v.pipe(
          v.picklist(["anyone", "administrator", "users", "none"]),
          v.description(
            "Who may give the next approval: any eligible approver, only the administrator, only users.",
          ),
        ),
        mine: v.pipe(v.boolean(), v.description("Whether the caller may give the next approval now.")),
      }),
    ),
    v.description(
      "Where the policy asked for approval when it was signed: the tier it was signed under (a later change of the policy does not alter it) and the approvals given.",
    ),
  ),
  rejected: v.nullable(v.object({ ...actor.entries, reason: v.nullable(v.string()) })),
  cancelled: v.nullable(actor),
  executedAt: v.nullable(isoTime),
  expiresAt: v.nullable(isoTime),
  expiredAt: v.nullable(isoTime),
  executionDate: v.pipe(
    v.nullable(v.string()),
    v.description("振込指定日 (YYYY-MM-DD, JST) when one was chosen; null executes once authorised."),
  ),
  failed: v.nullable(
    v.object({
      at: isoTime,
      reason: v.picklist([
        "insufficient-funds",
        "limit-exceeded",
        "creator-unavailable",
        "contract-stopped",
        "payee-changed",
      ]),
    }),
  ),
  challenge: v.optional(
    v.pipe(Challenge, v.description("While the transfer is open: what the signer and approver confirm.")),
  ),
});
export const TransferPage = v.object({ items: v.array(Transfer), cursor });
export const SignedTransfer = v.object({
  status: v.picklist(["awaiting-approval", "executed", "scheduled"]),
});
export const ApprovedTransfer = v.object({
  status: v.pipe(
    v.picklist(["awaiting-approval", "executed", "scheduled"]),
    v.description(
      "`executed` (or `scheduled`, dated after today) by the last approval its tier needs; else it awaits the rest.",
    ),
  ),
});
export const RejectedTransfer = v.object({ status: v.literal("rejected") });
export const CancelledTransfer = v.object({ status: v.literal("cancelled") });
export const CreatedTransfer = v.object({
  transferId: v.string(),
  status: v.literal("awaiting-signature"),
  challenge: Challenge,
});

const payeeDetails = {
  bankCode: v.string(),
  branchCode: v.string(),
  accountType,
  accountNumber: v.string(),
  name: v.pipe(v.string(), v.description("The Zengin name (受取人名): half-width katakana, A-Z, digits.")),
};
const bankNames = {
  bankName: v.pipe(v.string(), v.description("The bank's name in the Zengin code master (kanji).")),
  bankKana: v.pipe(v.string(), v.description("Its reading (full-width katakana).")),
  branchName: v.string(),
  branchKana: v.string(),
};

export const PayeeChallenge = v.object({
  question: v.pipe(
    v.string(),
    v.description(
      "The OCRA question: SHA-256 of `PAYEE|payeeId|revision|bankCode|branchCode|accountType|accountNumber|name`.",
    ),
  ),
  payeeId: v.string(),
  revision: v.pipe(v.number(), v.integer()),
  payee: v.object({ ...payeeDetails, ...bankNames }),
});

export const PayeeEntry = v.object({
  payeeId: v.string(),
  status: v.picklist(["awaiting-confirmation", "active"]),
  ...payeeDetails,
  ...bankNames,
  nickname: v.nullable(v.string()),
  groups: v.array(v.string()),
  revision: v.pipe(v.number(), v.integer()),
  usableFrom: v.pipe(
    v.nullable(v.string()),
    v.description("The JST date (YYYY-MM-DD) from which transfers may go to it; `null` until confirmed."),
  ),
  usable: v.pipe(v.boolean(), v.description("Whether a transfer may go to it now.")),
  used: v.pipe(
    v.boolean(),
    v.description("Whether a transfer to it has executed (the first-use cap is past)."),
  ),
  registered: actor,
  confirmed: v.nullable(actor),
  expiresAt: v.pipe(
    v.nullable(isoTime),
    v.description("A registration awaiting confirmation: when it is abandoned."),
  ),
  pendingChange: v.pipe(
    v.nullable(
      v.object({
        ...payeeDetails,
        ...bankNames,
        nickname: v.nullable(v.string()),
        groups: v.array(v.string()),
        expiresAt: isoTime,
      }),
    ),
    v.description("A change awaiting confirmation; the payee stays as it is until then."),
  ),
  challenge: v.optional(
    v.pipe(PayeeChallenge, v.description("While a registration or change awaits confirmation.")),
  ),
});
export const PayeePage = v.object({ items: v.array(PayeeEntry), cursor });
export const PayeeAwaitingConfirmation = v.object({
  payeeId: v.string(),
  status: v.literal("awaiting-confirmation"),
  challenge: PayeeChallenge,
  expiresAt: isoTime,
});
const bankEntry = {
  code: v.string(),
  name: v.pipe(v.string(), v.description("As the bank writes it (kanji; 銀行 left out for most banks).")),
  kana: v.pipe(v.string(), v.description("Its reading in full-width katakana.")),
};
export const BankMatches = v.object({ items: v.array(v.object(bankEntry)) });
export const BranchMatches = v.object({
  bank: v.object(bankEntry),
  items: v.array(v.object(bankEntry)),
});
export const PayeeGroups = v.object({
  items: v.array(v.object({ name: v.string(), payees: v.pipe(v.number(), v.integer()) })),
});

export const Certificate = v.object({
  serialNumber: v.string(),
  userId: v.nullable(v.string()),
  role,
  status: v.picklist(["active", "revoked", "expired"]),
  method: v.picklist(["csr", "pkcs12", "renewal"]),
  notBefore: isoTime,
  notAfter: isoTime,
  issuedAt: isoTime,
  issuedBy: v.string(),
  thumbprint: v.string(),
  revokedAt: v.nullable(isoTime),
  revokedBy: v.nullable(v.string()),
  renewedFrom: v.nullable(v.string()),
  renewedTo: v.nullable(v.string()),
  certificate: v.pipe(v.string(), v.description("The certificate (PEM).")),
});
export const CertificateList = v.object({ items: v.array(Certificate) });
export const IssuedCertificate = v.object({
  serialNumber: v.string(),
  certificate: v.pipe(v.string(), v.description("The certificate (PEM).")),
  notAfter: isoTime,
});
export const IssuedPkcs12 = v.object({
  serialNumber: v.string(),
  pkcs12: v.pipe(v.string(), v.description("The PKCS#12 file, base64.")),
  notAfter: isoTime,
});

export const AuditItem = v.object({
  id: v.string(),
  at: isoTime,
  action: v.pipe(v.string(), v.description("What happened, e.g. `logon`, `pins.set`, `user.created`.")),
  actor: v.pipe(v.string(), v.description("Who did it: `admin`, `user:<id>`, `ops` or `unknown`.")),
  target: v.optional(v.string()),
  outcome: v.picklist(["succeeded", "failed", "refused"]),
  channel: v.optional(channel),
  sourceIp: v.optional(v.string()),
  details: v.optional(v.record(v.string(), v.nullable(v.union([v.string(), v.number(), v.boolean()])))),
});
export const AuditPage = v.object({ items: v.array(AuditItem), cursor });

const redrivenMail = v.object({ outboxId: v.string(), newOutboxId: v.string() });
export const MailRedrive = v.object({
  redriven: v.array(redrivenMail),
  /** Mails a sender took up meanwhile, left to it. */
  skipped: v.array(v.string()),
});

const count = v.pipe(v.number(), v.integer());
export const SchedulerReport = v.object({
  at: isoTime,
  transfers: v.object({
    today: v.pipe(v.string(), v.description("The JST date the run counted as today.")),
    due: count,
    executed: count,
    failed: count,
    skipped: v.pipe(count, v.description("Moved on meanwhile: executed by another run, or cancelled.")),
    deferred: v.pipe(count, v.description("Left for the next run.")),
  }),
  batches: v.object({
    due: count,
    executed: count,
    failed: count,
    repaired: v.pipe(
      count,
      v.description("Executed by a run that died before its clearing file: the file written now."),
    ),
    skipped: count,
    deferred: count,
  }),
});

const certificateCount = v.object({
  valid: v.pipe(
    v.number(),
    v.integer(),
    v.description("Client certificates of the CA not revoked and not expired."),
  ),
  awaitingRenewal: v.pipe(
    v.number(),
    v.integer(),
    v.description("Of those, the ones not renewed: their holders have no certificate of another CA yet."),
  ),
});
const certificateAuthority = v.object({
  subject: v.string(),
  serialNumber: v.pipe(v.string(), v.description("Lower-case hex.")),
  notBefore: isoTime,
  notAfter: isoTime,
  fingerprint: v.pipe(v.string(), v.description("SHA-256 of the CA certificate's DER, lower-case hex.")),
  certificates: certificateCount,
});
const certificateAuthorityChange = v.object({
  at: isoTime,
  action: v.string(),
  actor: v.pipe(v.string(), v.description("The operator's IAM identity (locally the ops key's stand-in).")),
  outcome: v.picklist(["succeeded", "failed", "refused"]),
  details: v.record(v.string(), v.nullable(v.union([v.string(), v.number(), v.boolean()]))),
});
export const CertificateAuthorityStatus = v.object({
  revision: v.pipe(
    v.nullable(v.pipe(v.number(), v.integer())),
    v.description(
      "The revision of the CA set: deploy the truststore with `-c truststoreRevision=<revision>`.",
    ),
  ),
  active: v.pipe(
    v.nullable(certificateAuthority),
    v.description("The CA that issues; null before the first."),
  ),
  previous: v.pipe(
    v.nullable(certificateAuthority),
    v.description("During a rollover, the CA whose certificates are still trusted until it is retired."),
  ),
  rolloverOpen: v.boolean(),
  recentChanges: v.pipe(
    v.array(certificateAuthorityChange),
    v.description("The latest CA changes, newest first."),
  ),
});
export const RetiredCertificateAuthority = v.object({
  ...CertificateAuthorityStatus.entries,
  retired: v.object({
    fingerprint: v.string(),
    certificates: v.pipe(
      certificateCount,
      v.description("What the retired CA still had valid: refused from now on."),
    ),
    forced: v.boolean(),
  }),
});

export const CreatedContract = v.object({
  contractId: v.string(),
  registrationPin: v.pipe(v.string(), v.description("The administrator's first logon PIN: shown once.")),
  card: v.optional(
    v.pipe(
      v.object({ cells: v.record(v.string(), v.string()) }),
      v.description("Card contracts: the customer card's cells, shown once."),
    ),
  ),
  accounts: v.array(Account),
});

const stop = v.object({
  reason: v.picklist(["admin-locked", "user-locked", "emergency-stop"]),
  at: v.pipe(v.number(), v.description("Epoch milliseconds.")),
  by: v.string(),
});

export const ContractDescription = v.object({
  contractId: v.string(),
  name: v.string(),
  adminEmail: v.string(),
  ...contractSettings,
  executionWindowDays: v.pipe(
    v.number(),
    v.integer(),
    v.description("How many calendar days ahead a transfer may be dated (予約振込)."),
  ),
  status: v.picklist(["active", "stopped"]),
  stop: v.optional(stop),
  card: v.nullable(v.object({ issuedAt: isoTime })),
  createdAt: isoTime,
  principals: v.array(
    v.object({
      role,
      userId: v.nullable(v.string()),
      name: v.string(),
      status: v.picklist(["active", "locked", "stopped"]),
      token: v.nullable(
        v.object({ status: v.picklist(["issued", "provisioned", "active", "stopped"]), tokenId: v.string() }),
      ),
      stop: v.nullable(stop),
      mustSetPins: v.boolean(),
    }),
  ),
});
export const ContractStatus = v.object({ contractId: v.string(), status: v.picklist(["active", "stopped"]) });
export const RegistrationPin = v.object({ registrationPin: v.string() });
export const TokenReset = v.object({
  contractId: v.string(),
  userId: v.nullable(v.string()),
  token: v.null(),
});

export const Health = v.object({ status: v.literal("ok") });

/** RFC 9457 problem details, with the extension members a client needs to explain a refusal itself. */
export const Problem = v.object({
  type: v.pipe(
    v.string(),
    v.description("A relative reference whose last segment is the slug: `/problems/invalid-credentials`."),
  ),
  title: v.string(),
  status: v.pipe(v.number(), v.integer()),
  detail: v.pipe(v.string(), v.description("For the caller, in English; safe to show.")),
  instance: v.optional(v.string()),
  correlationId: v.optional(
    v.pipe(v.string(), v.description("Quote it to the bank: it finds the request's log lines.")),
  ),
  attemptsLeft: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.description("`invalid-credentials` for the caller's own secret: wrong entries left before the lock."),
    ),
  ),
  limit: v.optional(
    v.pipe(
      v.object({
        kind: v.picklist(["per-transfer", "per-batch", "daily", "contract-daily"]),
        amount: yen,
        remaining: v.pipe(yen, v.description("What is left of it today (whole yen).")),
      }),
      v.description("`limit-exceeded`: the limit the transfer would break."),
    ),
  ),
  errors: v.optional(
    v.pipe(
      v.array(
        v.object({
          field: v.string(),
          rule: v.pipe(v.string(), v.description("`invalid-file`: the same as `problem`.")),
          line: v.optional(
            v.pipe(
              v.number(),
              v.integer(),
              v.description("The record (line) from 1; 0: the file as a whole."),
            ),
          ),
          problem: v.optional(v.string()),
        }),
      ),
      v.description(
        "`validation` and `pin-policy`: each field and the rule it breaks; `invalid-file`: each line, field and problem (the first 1,000).",
      ),
    ),
  ),
  errorCount: v.optional(
    v.pipe(v.number(), v.integer(), v.description("`invalid-file`: how many errors the file has in all.")),
  ),
  batchStatus: v.optional(
    v.pipe(v.picklist(batchStatuses), v.description("`conflict` on a batch: the state it is in.")),
  ),
  rule: v.optional(v.pipe(v.string(), v.description("`pin-policy`: the rule the new PIN breaks."))),
  field: v.optional(v.pipe(v.nullable(v.string()), v.description("The field a refusal is about."))),
  reason: v.optional(v.pipe(v.string(), v.description("`validation` of a CSR: what is wrong with it."))),
  stopped: v.optional(
    v.pipe(v.picklist(["contract", "principal", "token"]), v.description("423: what is stopped.")),
  ),
  resumedBy: v.optional(
    v.pipe(v.picklist(["bank", "administrator"]), v.description("423: who can resume it.")),
  ),
  pending: v.optional(
    v.pipe(pendingStep, v.description("`step-required`: the logon step to complete first.")),
  ),
  transferStatus: v.optional(
    v.pipe(TransferStatus, v.description("`conflict` on a transfer: the state it is in.")),
  ),
  usableFrom: v.optional(
    v.pipe(
      v.nullable(v.string()),
      v.description(
        "`payee-cooling-off`: the JST date (YYYY-MM-DD) from which the payee may receive transfers.",
      ),
    ),
  ),
  firstUseLimit: v.optional(
    v.pipe(yen, v.description("`first-use-limit`: the most the first transfer to the payee may carry.")),
  ),
  retryAfterSeconds: v.optional(
    v.pipe(v.number(), v.integer(), v.description("`too-many-requests`: as the `Retry-After` header.")),
  ),
});

/** The named shapes, as the document's `components.schemas` (and the console's types) name them. */
export const BatchStatus = v.picklist(batchStatuses);
const batchChallenge = v.pipe(
  v.object({ question: v.string(), count, total: yen, date: v.string() }),
  v.description(
    "The OCRA question of the signature and approvals: SHA-256 of `batchId|kind|date|count|total|sha256(lines)`; the token app shows count, total and date.",
  ),
);
const batchActor = v.object({ role, userId: v.nullable(v.string()), at: isoTime });
export const Batch = v.object({
  batchId: v.string(),
  kind: v.picklist(["general", "salary", "bonus"]),
  status: BatchStatus,
  accountId: v.string(),
  date: v.pipe(v.string(), v.description("振込指定日, JST YYYY-MM-DD.")),
  count: v.pipe(count, v.description("Payments (data records).")),
  total: yen,
  linesSha256: v.pipe(v.string(), v.description("Upper-case hex SHA-256 of the canonical 120-byte lines.")),
  created: batchActor,
  deadline: v.pipe(isoTime, v.description("Unsigned or unapproved by then, it expires.")),
  signed: v.nullable(batchActor),
  approvals: v.nullable(v.object({ required: count, given: v.array(batchActor) })),
  failure: v.nullable(
    v.picklist(["insufficient-funds", "limit-exceeded", "creator-unavailable", "contract-stopped"]),
  ),
  executedAt: v.nullable(isoTime),
  clearingFile: v.pipe(
    v.nullable(v.picklist(["pending", "written"])),
    v.description("The outgoing Zengin file for clearing, after execution."),
  ),
  challenge: batchChallenge,
});
export const BatchPage = v.object({ items: v.array(Batch), cursor });
export const CreatedBatch = v.object({
  batchId: v.string(),
  status: v.literal("awaiting-signature"),
  count,
  total: yen,
  date: v.string(),
  challenge: batchChallenge,
});
export const BatchLine = v.object({
  line: v.pipe(count, v.description("The payment's place in the batch, from 1.")),
  bankCode: v.string(),
  bankName: v.string(),
  branchCode: v.string(),
  branchName: v.string(),
  accountType: v.pipe(v.string(), v.description("預金種目: 1 普通, 2 当座, 4 貯蓄, 9 その他.")),
  accountNumber: v.string(),
  payeeName: v.string(),
  amount: yen,
  customerCode1: v.string(),
  customerCode2: v.string(),
  ediInfo: v.string(),
});
export const BatchLinePage = v.object({ items: v.array(BatchLine), cursor });
export const SignedBatch = v.object({ status: v.picklist(["awaiting-approval", "scheduled"]) });
export const RejectedBatch = v.object({ status: v.literal("rejected") });
export const CancelledBatch = v.object({ status: v.literal("cancelled") });

export const namedSchemas = {
  Problem,
  PendingStep,
  Logon,
  StepAnswer,
  PasskeyOptions,
  RegisteredPasskey,
  Passkey,
  PasskeyList,
  PasskeysRevoked,
  Limits,
  LogonRecord,
  LastLogons,
  TokenState,
  MeWarning,
  Me,
  Notifications,
  Channels,
  IssuedToken,
  TokenProvisioning,
  ActivatedToken,
  RenewedToken,
  User,
  UserList,
  Account,
  AccountList,
  Payee,
  LedgerEntry,
  LedgerPage,
  Challenge,
  TransferStatus,
  TransferActor,
  Transfer,
  TransferPage,
  ApprovalTier,
  ApprovalPolicy,
  CreatedTransfer,
  SignedTransfer,
  ApprovedTransfer,
  RejectedTransfer,
  CancelledTransfer,
  PayeeChallenge,
  PayeeEntry,
  PayeePage,
  PayeeAwaitingConfirmation,
  PayeeGroups,
  BatchStatus,
  Batch,
  BatchPage,
  CreatedBatch,
  BatchLine,
  BatchLinePage,
  SignedBatch,
  RejectedBatch,
  CancelledBatch,
  BankMatches,
  BranchMatches,
  Certificate,
  CertificateList,
  IssuedCertificate,
  IssuedPkcs12,
  AuditItem,
  AuditPage,
  MailRedrive,
  SchedulerReport,
  CertificateAuthorityStatus,
  RetiredCertificateAuthority,
  CreatedContract,
  ContractDescription,
  ContractStatus,
  RegistrationPin,
  TokenReset,
  Health,
} as const;

export type SchemaName = keyof typeof namedSchemas;

/** A route's answer when it succeeds, and the refusals particular to it (beyond those of its auth kind). */
export interface MediaBody {
  readonly type: string;
  readonly description: string;
}

export interface RouteResponse {
  readonly status: 200 | 201 | 202 | 204;
  readonly description: string;
  /** A named JSON shape; absent for 202/204 and for bodies of another media type. */
  readonly body?: SchemaName;
  /**
   * A body that is not JSON (the CA certificate) or not a named shape (this document); several when the
   * request chooses among formats (a statement as CSV or as a Zengin file).
   */
  readonly media?: MediaBody | readonly MediaBody[];
  readonly problems?: readonly ProblemSlug[];
  readonly summary: string;
  /** Required request headers other than Authorization. */
  readonly idempotencyKey?: true;
}

const confirmed: readonly ProblemSlug[] = ["invalid-credentials", "locked", "not-found"];
const transferStep: readonly ProblemSlug[] = ["invalid-credentials", "not-found", "conflict"];

export const routeResponses = {
  "GET /v1/health": {
    summary: "The service answers and its table is reachable",
    status: 200,
    description: "Healthy",
    body: "Health",
  },
  "GET /v1/openapi.json": {
    summary: "This document",
    status: 200,
    description: "The OpenAPI 3.1 description of the API",
    media: { type: "application/json", description: "An OpenAPI 3.1 document" },
  },

  "POST /v1/ops/contracts": {
    summary: "Open a contract with its administrator and accounts",
    status: 201,
    description: "Opened",
    body: "CreatedContract",
  },
  "GET /v1/ops/contracts/{contractId}": {
    summary: "A contract's settings, status and principals",
    status: 200,
    description: "The contract",
    body: "ContractDescription",
    problems: ["not-found"],
  },
  "POST /v1/ops/contracts/{contractId}/restart": {
    summary: "Resume a stopped contract and its administrator",
    status: 200,
    description: "Resumed",
    body: "ContractStatus",
    problems: ["not-found", "conflict"],
  },
  "POST /v1/ops/contracts/{contractId}/reset-admin": {
    summary: "Reset the administrator: a new registration PIN, first logon again",
    status: 200,
    description: "Reset",
    body: "RegistrationPin",
    problems: ["not-found"],
  },
  "POST /v1/ops/contracts/{contractId}/emergency-stop": {
    summary: "Stop the contract",
    status: 200,
    description: "Stopped",
    body: "ContractStatus",
    problems: ["not-found"],
  },
  "POST /v1/ops/contracts/{contractId}/tokens/reset": {
    summary: "Clear a principal's stopped token so it can be issued again",
    status: 200,
    description: "Cleared",
    body: "TokenReset",
    problems: ["not-found", "conflict"],
  },
  "GET /v1/ops/contracts/{contractId}/audit": {
    summary: "A contract's audit trail, newest first",
    status: 200,
    description: "A page of the audit trail",
    body: "AuditPage",
    problems: ["not-found"],
  },
  "POST /v1/ops/contracts/{contractId}/passkeys/revoke": {
    summary: "Revoke every passkey of a contract",
    status: 200,
    description: "Revoked; the administrator and the passkeys' holders are mailed",
    body: "PasskeysRevoked",
    problems: ["not-found", "conflict"],
  },
  "POST /v1/ops/mail/redrive": {
    summary: "Send again the notification mail given up on (dead, or pending 20 minutes after its last try)",
    status: 200,
    description: "The mails written again, each as a new outbox item",
    body: "MailRedrive",
    problems: [],
  },
  "POST /v1/ops/scheduler/run": {
    summary: "Run what is due now (transfers on their designated date); the local stack only",
    status: 200,
    description: "What the run found due and did",
    body: "SchedulerReport",
    problems: [],
  },
  "GET /v1/ops/certificate-authority": {
    summary:
      "The client-certificate CAs: the active one, the previous one during a rollover, and their valid certificates",
    status: 200,
    description: "The CAs",
    body: "CertificateAuthorityStatus",
  },
  "POST /v1/ops/certificate-authority/rollover": {
    summary:
      "Begin a CA rollover: a new CA issues from now on; the old one stays trusted as the previous one",
    status: 201,
    description: "The new CA is active",
    body: "CertificateAuthorityStatus",
    problems: ["conflict"],
  },
  "POST /v1/ops/certificate-authority/retire-previous": {
    summary:
      "Retire the previous CA: its certificates are refused from now on (`force` while some are valid and not renewed)",
    status: 200,
    description: "Retired",
    body: "RetiredCertificateAuthority",
    problems: ["conflict"],
  },

  "POST /v1/sessions": {
    summary: "Log on with the contract ID, user ID (none: the administrator) and logon PIN",
    status: 201,
    description: "A session, with the logon step still to do",
    body: "Logon",
    problems: ["invalid-credentials", "locked", "contract-stopped", "too-many-requests"],
  },
  "POST /v1/sessions/current/otp": {
    summary: "The logon's one-time password",
    status: 200,
    description: "Accepted",
    body: "StepAnswer",
    problems: ["invalid-credentials", "conflict"],
  },
  "POST /v1/sessions/current/card": {
    summary: "The logon's customer card answers",
    status: 200,
    description: "Accepted",
    body: "StepAnswer",
    problems: ["invalid-credentials"],
  },
  "POST /v1/sessions/current/pins": {
    summary: "Set the logon and confirmation PINs (first logon, after a reset)",
    status: 200,
    description: "Set",
    body: "StepAnswer",
    problems: ["pin-policy", "conflict"],
  },
  "DELETE /v1/sessions/current": { summary: "Log off", status: 204, description: "Logged off" },
  "POST /v1/emergency-stop": {
    summary: "Stop a principal's logon without logging on",
    status: 202,
    description: "Received; the same answer whether anything matched",
  },

  "POST /v1/sessions/passkey/options": {
    summary: "Options for a passkey logon (discoverable credentials: no IDs typed)",
    status: 200,
    description: "The WebAuthn request options; the challenge is single-use and short-lived",
    body: "PasskeyOptions",
    problems: ["unavailable"],
  },
  "POST /v1/sessions/passkey": {
    summary: "Log on with a passkey",
    status: 201,
    description: "A session, as a PIN logon opens it",
    body: "Logon",
    problems: ["invalid-credentials", "locked", "contract-stopped", "too-many-requests", "unavailable"],
  },

  "GET /v1/me": { summary: "The signed-in principal", status: 200, description: "The principal", body: "Me" },
  "PUT /v1/me/pin": {
    summary: "Change the own logon PIN",
    status: 204,
    description: "Changed",
    problems: ["invalid-credentials", "pin-policy"],
  },
  "PUT /v1/me/confirmation-pin": {
    summary: "Change the own confirmation PIN",
    status: 204,
    description: "Changed",
    problems: ["invalid-credentials", "pin-policy"],
  },
  "PUT /v1/me/notifications": {
    summary: "Choose the optional mails",
    status: 200,
    description: "Chosen",
    body: "Notifications",
    problems: ["invalid-credentials"],
  },
  "PUT /v1/me/channels": {
    summary: "Choose the channels the principal may log on with",
    status: 200,
    description: "Chosen",
    body: "Channels",
    problems: ["invalid-credentials"],
  },
  "POST /v1/me/emergency-stop": {
    summary: "Stop the own logon at once",
    status: 204,
    description: "Stopped",
  },

  "POST /v1/me/passkeys/options": {
    summary: "Options for registering a passkey",
    status: 200,
    description: "The WebAuthn creation options; the challenge is this session's, single-use and short-lived",
    body: "PasskeyOptions",
    problems: ["unavailable"],
  },
  "POST /v1/me/passkeys": {
    summary:
      "Register a passkey, confirmed by the confirmation PIN (and a one-time password on token contracts)",
    status: 201,
    description: "Registered",
    body: "RegisteredPasskey",
    problems: ["invalid-credentials", "locked", "conflict", "unavailable"],
  },
  "GET /v1/me/passkeys": {
    summary: "The own passkeys",
    status: 200,
    description: "The passkeys",
    body: "PasskeyList",
  },
  "PATCH /v1/me/passkeys/{passkeyId}": {
    summary: "Rename an own passkey",
    status: 200,
    description: "Renamed",
    body: "Passkey",
    problems: confirmed,
  },
  "DELETE /v1/me/passkeys/{passkeyId}": {
    summary: "Delete an own passkey",
    status: 204,
    description: "Deleted",
    problems: confirmed,
  },

  "POST /v1/me/token": {
    summary: "Apply for a software token; the download link is mailed",
    status: 201,
    description: "Issued",
    body: "IssuedToken",
    problems: ["invalid-credentials", "conflict"],
  },
  "POST /v1/token-provisioning": {
    summary: "The token app takes the token's secret, once",
    status: 200,
    description: "The token's secret",
    body: "TokenProvisioning",
    problems: ["invalid-credentials", "gone", "locked"],
  },
  "POST /v1/me/token/activate": {
    summary: "Activate the token with a first one-time password",
    status: 200,
    description: "Active",
    body: "ActivatedToken",
    problems: ["invalid-credentials", "conflict"],
  },
  "POST /v1/me/token/renew": {
    summary: "Extend the token inside its renewal window",
    status: 200,
    description: "Renewed",
    body: "RenewedToken",
    problems: ["invalid-credentials", "conflict"],
  },
  "DELETE /v1/me/token": {
    summary: "Cancel the token (利用解除)",
    status: 204,
    description: "Cancelled",
    problems: ["invalid-credentials", "conflict"],
  },

  "GET /v1/users": {
    summary: "The contract's users (administrator)",
    status: 200,
    description: "The users",
    body: "UserList",
  },
  "POST /v1/users": {
    summary: "Add a user (administrator)",
    status: 201,
    description: "Added",
    body: "User",
    problems: [...confirmed, "conflict", "pin-policy"],
  },
  "GET /v1/users/{userId}": {
    summary: "A user (administrator)",
    status: 200,
    description: "The user",
    body: "User",
    problems: ["not-found"],
  },
  "PATCH /v1/users/{userId}": {
    summary: "Change a user's name, address, permissions or limits (administrator)",
    status: 200,
    description: "Changed",
    body: "User",
    problems: confirmed,
  },
  "POST /v1/users/{userId}/reset-pins": {
    summary: "Give a user new initial PINs (administrator)",
    status: 200,
    description: "Reset",
    body: "User",
    problems: [...confirmed, "pin-policy"],
  },
  "POST /v1/users/{userId}/unlock": {
    summary: "Resume a locked or stopped user (administrator)",
    status: 200,
    description: "Resumed",
    body: "User",
    problems: [...confirmed, "conflict"],
  },
  "DELETE /v1/users/{userId}": {
    summary: "Delete a user (administrator)",
    status: 204,
    description: "Deleted",
    problems: confirmed,
  },
  "GET /v1/contract/approval-policy": {
    summary: "The contract's approval policy (承認ルール): tiers by amount per kind of payment",
    status: 200,
    description: "The policy in force",
    body: "ApprovalPolicy",
  },
  "PUT /v1/contract/approval-policy": {
    summary: "Replace the approval policy (administrator); transfers signed before keep theirs",
    status: 200,
    description: "Set",
    body: "ApprovalPolicy",
    problems: ["invalid-credentials", "locked", "forbidden"],
  },
  "POST /v1/contract/emergency-stop": {
    summary: "Stop the whole contract (administrator)",
    status: 204,
    description: "Stopped",
    problems: ["invalid-credentials"],
  },

  "GET /v1/users/{userId}/passkeys": {
    summary: "A user's passkeys (administrator)",
    status: 200,
    description: "The passkeys",
    body: "PasskeyList",
    problems: ["not-found"],
  },
  "DELETE /v1/users/{userId}/passkeys/{passkeyId}": {
    summary: "Revoke a user's passkey (administrator)",
    status: 204,
    description: "Revoked",
    problems: confirmed,
  },

  "GET /v1/ca": {
    summary: "The client-certificate CA's certificate (during a CA rollover, the previous CA's after it)",
    status: 200,
    description: "The CA certificates trusted now",
    media: {
      type: "application/pem-certificate-chain",
      description: "The active CA's certificate (PEM), then during a rollover the previous CA's",
    },
  },
  "POST /v1/me/certificates": {
    summary: "A client certificate for the key of a certificate request (CSR)",
    status: 201,
    description: "Issued",
    body: "IssuedCertificate",
    problems: ["invalid-credentials", "conflict"],
  },
  "POST /v1/me/certificates/pkcs12": {
    summary: "A client certificate and its key as a PKCS#12 file",
    status: 201,
    description: "Issued",
    body: "IssuedPkcs12",
    problems: ["invalid-credentials", "conflict"],
  },
  "GET /v1/me/certificates": {
    summary: "The own client certificates",
    status: 200,
    description: "The certificates",
    body: "CertificateList",
  },
  "GET /v1/certificates": {
    summary: "The contract's client certificates (administrator)",
    status: 200,
    description: "The certificates",
    body: "CertificateList",
  },
  "DELETE /v1/certificates/{serialNumber}": {
    summary: "Revoke a client certificate",
    status: 204,
    description: "Revoked",
    problems: [...confirmed, "conflict"],
  },
  "POST /v1/certificates/{serialNumber}/renew": {
    summary: "Renew a client certificate for the same key",
    status: 201,
    description: "Renewed",
    body: "IssuedCertificate",
    problems: [...confirmed, "conflict"],
  },

  "GET /v1/audit": {
    summary: "The contract's audit trail, newest first (administrator, or a user with audit:view)",
    status: 200,
    description: "A page of the audit trail",
    body: "AuditPage",
  },

  "GET /v1/accounts": {
    summary: "The contract's accounts and balances",
    status: 200,
    description: "The accounts",
    body: "AccountList",
  },
  "GET /v1/accounts/{accountId}/statement": {
    summary:
      "The account's movements of a period as a file: CSV (UTF-8 with BOM, CRLF, times in JST) or the Zengin 入出金取引明細 format",
    status: 200,
    description: "The statement",
    media: [
      {
        type: "text/csv",
        description:
          "format=csv: 日付,時刻,入出金,金額,摘要,振込先,取引番号 — one line per movement, oldest first",
      },
      {
        type: "application/vnd.zengin",
        description:
          "format=zengin: 全銀協規定形式 入出金取引明細 (種別 03), Shift_JIS, 200-byte records without line ends: header with the balance before the period, one record per movement, trailer with counts, totals and the balance after, end",
      },
    ],
  },
  "GET /v1/accounts/{accountId}/transactions": {
    summary: "An account's history, newest first",
    status: 200,
    description: "A page of the history",
    body: "LedgerPage",
    problems: ["not-found"],
  },

  "POST /v1/transfers": {
    summary: "Create a transfer (振込); it then awaits its signature",
    status: 201,
    description: "Created (or, for a repeated Idempotency-Key with the same body, the first answer)",
    body: "CreatedTransfer",
    problems: [
      "not-found",
      "conflict",
      "idempotency-conflict",
      "limit-exceeded",
      "insufficient-funds",
      "payee-cooling-off",
      "ad-hoc-payee-refused",
      "first-use-limit",
    ],
    idempotencyKey: true,
  },
  "GET /v1/transfers": {
    summary: "The transfers the caller may see, newest first; by status, or awaiting the caller's approval",
    status: 200,
    description: "A page of transfers",
    body: "TransferPage",
  },
  "GET /v1/transfers/{transferId}": {
    summary: "A transfer",
    status: 200,
    description: "The transfer",
    body: "Transfer",
    problems: ["not-found"],
  },
  "POST /v1/transfers/{transferId}/sign": {
    summary: "Sign a transfer with the confirmation PIN and transaction code",
    status: 200,
    description: "Signed: awaiting approval, or executed",
    body: "SignedTransfer",
    problems: [...transferStep, "limit-exceeded", "insufficient-funds", "first-use-limit"],
  },
  "POST /v1/transfers/{transferId}/approve": {
    summary: "Give the next approval of a signed transfer; the last one its tier needs executes it",
    status: 200,
    description: "Approved: executed, or awaiting the approvals still missing",
    body: "ApprovedTransfer",
    problems: [...transferStep, "limit-exceeded", "insufficient-funds", "first-use-limit"],
  },
  "POST /v1/transfers/{transferId}/reject": {
    summary: "Reject a signed transfer, with a reason",
    status: 200,
    description: "Rejected",
    body: "RejectedTransfer",
    problems: transferStep,
  },
  "POST /v1/transfers/{transferId}/cancel": {
    summary: "Cancel the own open transfer",
    status: 200,
    description: "Cancelled",
    body: "CancelledTransfer",
    problems: transferStep,
  },

  "POST /v1/batches": {
    summary:
      "Upload a batch (総合振込 / 給与・賞与振込) as a Zengin file or CSV; checked whole, it then awaits its signature",
    status: 201,
    description: "Created (or, for a repeated Idempotency-Key with the same file, the first answer)",
    body: "CreatedBatch",
    problems: ["not-found", "conflict", "idempotency-conflict", "invalid-file", "limit-exceeded"],
    idempotencyKey: true,
  },
  "GET /v1/batches": {
    summary: "The batches the caller may see, newest first; by status, or awaiting the caller's approval",
    status: 200,
    description: "A page of batches",
    body: "BatchPage",
  },
  "GET /v1/batches/{batchId}": {
    summary: "A batch",
    status: 200,
    description: "The batch",
    body: "Batch",
    problems: ["not-found"],
  },
  "GET /v1/batches/{batchId}/lines": {
    summary: "A page of a batch's payments, in file order",
    status: 200,
    description: "A page of lines",
    body: "BatchLinePage",
    problems: ["not-found"],
  },
  "POST /v1/batches/{batchId}/sign": {
    summary: "Sign a batch with the confirmation PIN and the transaction code over its question",
    status: 200,
    description: "Signed: awaiting approval, or scheduled for its date",
    body: "SignedBatch",
    problems: [...transferStep, "limit-exceeded"],
  },
  "POST /v1/batches/{batchId}/approve": {
    summary: "Give the next approval of a signed batch; the last one its tier needs schedules it",
    status: 200,
    description: "Approved: scheduled, or awaiting the approvals still missing",
    body: "SignedBatch",
    problems: [...transferStep, "limit-exceeded"],
  },
  "POST /v1/batches/{batchId}/reject": {
    summary: "Reject a signed batch, with a reason",
    status: 200,
    description: "Rejected",
    body: "RejectedBatch",
    problems: transferStep,
  },
  "POST /v1/batches/{batchId}/cancel": {
    summary: "Cancel the own batch until it executes",
    status: 200,
    description: "Cancelled",
    body: "CancelledBatch",
    problems: transferStep,
  },
  "GET /v1/batches/{batchId}/clearing-file": {
    summary: "The outgoing Zengin file for clearing, once the batch executed (the administrator)",
    status: 200,
    description: "The clearing file",
    media: {
      type: "application/vnd.zengin",
      description: "全銀協規定形式 総合振込 records, Shift_JIS, CRLF after each: header, data, trailer, end",
    },
    problems: ["not-found", "conflict"],
  },
  "GET /v1/ops/contracts/{contractId}/batches/{batchId}/clearing-file": {
    summary: "A batch's outgoing Zengin file for clearing, once executed",
    status: 200,
    description: "The clearing file",
    media: {
      type: "application/vnd.zengin",
      description: "全銀協規定形式 総合振込 records, Shift_JIS, CRLF after each: header, data, trailer, end",
    },
    problems: ["not-found", "conflict"],
  },

  "GET /v1/payees": {
    summary: "The payee book (登録振込先), oldest first; of one group with `group`",
    status: 200,
    description: "A page of payees",
    body: "PayeePage",
  },
  "POST /v1/payees": {
    summary: "Register a payee; it then awaits confirmation with the confirmation PIN and transaction code",
    status: 201,
    description: "Registered, awaiting confirmation",
    body: "PayeeAwaitingConfirmation",
  },
  "GET /v1/payees/{payeeId}": {
    summary: "A payee",
    status: 200,
    description: "The payee",
    body: "PayeeEntry",
    problems: ["not-found"],
  },
  "PATCH /v1/payees/{payeeId}": {
    summary: "Change a payee; the change awaits confirmation, and new details restart the cooling-off",
    status: 200,
    description: "The change, awaiting confirmation",
    body: "PayeeAwaitingConfirmation",
    problems: ["not-found", "conflict"],
  },
  "POST /v1/payees/{payeeId}/confirm": {
    summary: "Confirm a payee's registration or change with the confirmation PIN and transaction code",
    status: 200,
    description: "Confirmed",
    body: "PayeeEntry",
    problems: ["invalid-credentials", "locked", "not-found", "conflict"],
  },
  "DELETE /v1/payees/{payeeId}": {
    summary: "Delete a payee (transfers already made to it keep its details)",
    status: 204,
    description: "Deleted",
    problems: confirmed,
  },
  "GET /v1/payee-groups": {
    summary: "The payee groups (振込先グループ) and how many payees each holds",
    status: 200,
    description: "The groups",
    body: "PayeeGroups",
  },
  "GET /v1/banks": {
    summary:
      "Banks of the Zengin code master whose code starts with, or whose name or kana holds, `q` (hiragana matches katakana)",
    status: 200,
    description: "The matching banks, in the master's order",
    body: "BankMatches",
  },
  "GET /v1/banks/{bankCode}/branches": {
    summary: "The bank, and its branches whose code starts with, or whose name or kana holds, `q`",
    status: 200,
    description: "The bank and its matching branches",
    body: "BranchMatches",
    problems: ["not-found"],
  },
} as const satisfies Record<RouteKeyOf<RouteGroup>, RouteResponse>;
