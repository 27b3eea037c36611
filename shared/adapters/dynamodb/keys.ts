// The one key scheme of the single table. Every item's pk/sk is made here and nowhere else.

/** User IDs are unique within a contract regardless of letter case. */
const userKey = (userId: string) => userId.toLowerCase();

/**
 * One instance of one principal (instance.ts): a principal stored without an instance ID keeps the key
 * it always had, so what it recorded before instance IDs existed is found where it was written.
 */
const instanceKey = (userId: string | null, instanceId: string | undefined) =>
  `${userId === null ? "ADMIN" : `USER#${userKey(userId)}`}${instanceId === undefined ? "" : `#${instanceId}`}`;

export const keys = {
  contract: (contractId: string) => ({ pk: `CONTRACT#${contractId}`, sk: "CONTRACT" }),
  /** The administrator and the users share the contract's partition: one query lists them. */
  principal: (contractId: string, userId: string | null) => ({
    pk: `CONTRACT#${contractId}`,
    sk: userId === null ? "PRINCIPAL#ADMIN" : `PRINCIPAL#USER#${userKey(userId)}`,
  }),
  principalPrefix: "PRINCIPAL#",
  /**
   * A deleted user whose clean-up (its open transfers, its certificates) is not finished yet: one per
   * deleted instance, in the contract's partition, so the administrator's next deletion finds it.
   */
  userDeletion: (contractId: string, userId: string, instance: string) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `DELETED-USER#${userKey(userId)}#${instance}`,
  }),
  userDeletionPrefix: "DELETED-USER#",
  userPrefix: "PRINCIPAL#USER#",
  account: (contractId: string, accountId: string) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `ACCOUNT#${accountId}`,
  }),
  accountPrefix: "ACCOUNT#",
  /**
   * One account's movements, newest last by sort key (so a reverse query pages newest first); written
   * once, in the transaction that moves the money.
   */
  ledgerEntry: (contractId: string, accountId: string, at: number, entryId: string) => ({
    pk: `LEDGER#${contractId}#${accountId}`,
    sk: `${new Date(at).toISOString()}#${entryId}`,
  }),
  ledgerPartition: (contractId: string, accountId: string) => `LEDGER#${contractId}#${accountId}`,
  /**
   * Transfers of one contract, in their own partition: transfer IDs begin with their creation time, so
   * the sort key orders them oldest first and a reverse query lists them newest first.
   */
  transfer: (contractId: string, transferId: string) => ({
    pk: `TRANSFERS#${contractId}`,
    sk: `TRANSFER#${transferId}`,
  }),
  transferPartition: (contractId: string) => `TRANSFERS#${contractId}`,
  transferPrefix: "TRANSFER#",
  /**
   * gsi1: one creator's transfers, newest last (the creator who may see only its own lists them); of one
   * instance of the creator, so a user created again under a deleted one's ID does not list its transfers.
   */
  transfersByCreator: (
    contractId: string,
    creator: { userId: string | null; instanceId?: string | undefined },
    transferId: string,
  ) => ({
    gsi1pk: `TRANSFERS#${contractId}#${instanceKey(creator.userId, creator.instanceId)}`,
    gsi1sk: `TRANSFER#${transferId}`,
  }),
  /**
   * An Idempotency-Key of one instance of one principal, by its hash (any characters a client sends stay
   * out of keys): a user created again under a deleted one's ID never gets the deleted one's answers.
   */
  idempotencyKey: (
    contractId: string,
    principal: { userId: string | null; instanceId?: string | undefined },
    keyHash: string,
  ) => ({
    pk: `IDEMPOTENCY#${contractId}#${instanceKey(principal.userId, principal.instanceId)}`,
    sk: keyHash,
  }),
  /**
   * The payee book of one contract, in its own partition: payee IDs begin with their registration time, so
   * a query lists them oldest first.
   */
  payee: (contractId: string, payeeId: string) => ({ pk: `PAYEES#${contractId}`, sk: `PAYEE#${payeeId}` }),
  payeePartition: (contractId: string) => `PAYEES#${contractId}`,
  payeePrefix: "PAYEE#",
  /**
   * A transfer waiting for its designated date, one item per transfer in one partition sorted by date: the
   * scheduler finds every due one with one query (`sk` before the next day), across contracts. Written with
   * the move to scheduled, deleted with the execution, the failure or the cancellation.
   */
  scheduledTransfer: (date: string, contractId: string, transferId: string) => ({
    pk: "SCHEDULED-TRANSFERS",
    sk: `${date}#${contractId}#${transferId}`,
  }),
  scheduledTransfersPartition: "SCHEDULED-TRANSFERS",
  /**
   * Batches (総合振込, 給与・賞与) of one contract, in their own partition: batch IDs begin with their creation
   * time, so a reverse query lists them newest first. Their lines are files (the blob store), never items.
   */
  batch: (contractId: string, batchId: string) => ({ pk: `BATCHES#${contractId}`, sk: `BATCH#${batchId}` }),
  batchPartition: (contractId: string) => `BATCHES#${contractId}`,
  /**
   * A batch waiting for its date, or executed with its clearing file still to write: one partition sorted by
   * date, as the scheduled transfers' (decision 017). Deleted once the clearing file is written, or with a
   * failure or cancellation.
   */
  scheduledBatch: (date: string, contractId: string, batchId: string) => ({
    pk: "SCHEDULED-BATCHES",
    sk: `${date}#${contractId}#${batchId}`,
  }),
  scheduledBatchesPartition: "SCHEDULED-BATCHES",
  /** What batches of one kind (`bulk`, `salary`) executed on one JST day: the contract's, or one principal's. */
  batchUsage: (contractId: string, day: string, kind: "bulk" | "salary", userId?: string | null) => ({
    pk: `USAGE#${contractId}#${day}`,
    sk: `${kind.toUpperCase()}#${
      userId === undefined
        ? "CONTRACT"
        : userId === null
          ? "PRINCIPAL#ADMIN"
          : `PRINCIPAL#USER#${userKey(userId)}`
    }`,
  }),
  /** What was executed on one JST calendar day: by the contract, and by each principal (limits). */
  contractUsage: (contractId: string, day: string) => ({ pk: `USAGE#${contractId}#${day}`, sk: "CONTRACT" }),
  principalUsage: (contractId: string, day: string, userId: string | null) => ({
    pk: `USAGE#${contractId}#${day}`,
    sk: userId === null ? "PRINCIPAL#ADMIN" : `PRINCIPAL#USER#${userKey(userId)}`,
  }),
  /** How many changes of its own PINs one principal tried on one JST calendar day (pin-policy.ts). */
  ownPinChanges: (contractId: string, day: string, userId: string | null) => ({
    pk: `USAGE#${contractId}#${day}`,
    sk: userId === null ? "PIN-CHANGES#ADMIN" : `PIN-CHANGES#USER#${userKey(userId)}`,
  }),
  /** A client certificate, in its contract's partition: the administrator lists them with one query. */
  certificate: (contractId: string, serialNumber: string) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `CERTIFICATE#${serialNumber}`,
  }),
  certificatePrefix: "CERTIFICATE#",
  /**
   * One principal's count of valid certificates and, per certificate, when it ends: the conditional counter
   * that holds the cap (certificates.ts). Not under CERTIFICATE#, so the contract's certificate list skips it.
   */
  certificateSlots: (contractId: string, userId: string | null, instanceId: string | undefined) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `CERTIFICATE-SLOTS#${userId === null ? "ADMIN" : `USER#${userKey(userId)}`}#${instanceId ?? "FIRST"}`,
  }),
  /** One item per serial number across the CA, so that none is ever issued twice (RFC 5280 §4.1.2.2). */
  certificateSerial: (serialNumber: string) => ({ pk: `CERTIFICATE#${serialNumber}`, sk: "SERIAL" }),
  /**
   * The CAs' certificates (public) — the active one and, during a rollover, the previous one — for functions
   * that check client certificates without the CAs' keys.
   */
  certificateAuthority: () => ({ pk: "CERTIFICATE-AUTHORITY", sk: "CERTIFICATE" }),
  /**
   * gsi1: the certificates one CA issued (by the CA's SHA-256 fingerprint), ordered by their end, so the
   * ones still valid are one query: how many a rollover still has to move.
   */
  certificatesOfAuthority: (caFingerprint: string, notAfter: number, serialNumber: string) => ({
    gsi1pk: `CA-CERTIFICATES#${caFingerprint}`,
    gsi1sk: `${new Date(notAfter).toISOString()}#${serialNumber}`,
  }),
  certificatesOfAuthorityPartition: (caFingerprint: string) => `CA-CERTIFICATES#${caFingerprint}`,
  /** Bank operations' changes of the CAs (rollovers, retirements), newest last by sort key; never updated. */
  certificateAuthorityAudit: (at: number, id: string) => ({
    pk: "AUDIT#CERTIFICATE-AUTHORITY",
    sk: `${new Date(at).toISOString()}#${id}`,
  }),
  certificateAuthorityAuditPartition: "AUDIT#CERTIFICATE-AUTHORITY",
  session: (sessionId: string) => ({ pk: `SESSION#${sessionId}`, sk: "SESSION" }),
  /** Audit items of one contract, newest last by sort key; never updated or deleted. */
  audit: (contractId: string, at: number, id: string) => ({
    pk: `AUDIT#${contractId}`,
    sk: `${new Date(at).toISOString()}#${id}`,
  }),
  auditPartition: (contractId: string) => `AUDIT#${contractId}`,
  /** Logon attempts that named no existing contract or user, kept per day for operations. */
  unknownLogonAudit: (at: number, id: string) => ({
    pk: `AUDIT#UNKNOWN#${new Date(at).toISOString().slice(0, 10)}`,
    sk: `${new Date(at).toISOString()}#${id}`,
  }),
  outbox: (id: string) => ({ pk: `OUTBOX#${id}`, sk: "OUTBOX" }),
  /** An address SES reported as bouncing for good or complaining: nothing is mailed to it (mail-suppression.ts). */
  mailSuppression: (address: string) => ({
    pk: `MAIL-SUPPRESSION#${address.toLowerCase()}`,
    sk: "SUPPRESSION",
  }),
  mailSuppressionPrefix: "MAIL-SUPPRESSION#",
  /** Finds a software token's principal from the token ID the token app sends (public provisioning). */
  token: (tokenId: string) => ({ pk: `TOKEN#${tokenId}`, sk: "TOKEN" }),
  outboxPrefix: "OUTBOX#",
  /** A passkey, in its contract's partition: the administrator and the bank list them with one query. */
  passkey: (contractId: string, passkeyId: string) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `PASSKEY#${passkeyId}`,
  }),
  passkeyPrefix: "PASSKEY#",
  /**
   * Finds a passkey from the credential a passkey logon presents (no IDs are typed): by the SHA-256 of its
   * credential ID, so whatever a client sends stays out of keys. One per credential across the service.
   */
  passkeyCredential: (credentialHash: string) => ({
    pk: `PASSKEY-CREDENTIAL#${credentialHash}`,
    sk: "PASSKEY",
  }),
  /** A WebAuthn challenge handed out and not yet answered: consumed (deleted) by the one answer it gets. */
  webauthnChallenge: (challenge: string) => ({ pk: `WEBAUTHN-CHALLENGE#${challenge}`, sk: "CHALLENGE" }),
  /**
   * Attempts at a public route in one fixed window (attempts.ts): the window's start is in the key, so
   * a new window is a new item and nothing depends on TTL deleting the old one on time. `subject` comes
   * from the subject helpers below.
   */
  attempts: (counter: string, subject: string, windowStart: number) => ({
    pk: `ATTEMPTS#${counter}#${subject}`,
    sk: new Date(windowStart).toISOString(),
  }),
  attemptsOfContract: (contractId: string) => `CONTRACT#${contractId}`,
  attemptsOfPrincipal: (contractId: string, userId: string | null) =>
    `CONTRACT#${contractId}#${userId === null ? "ADMIN" : `USER#${userKey(userId)}`}`,
  attemptsOfToken: (tokenId: string) => `TOKEN#${tokenId}`,
} as const;

export type ItemKey = { pk: string; sk: string };
