// A payee as the API shows it, and the challenge of a registration or change awaiting confirmation: the
// question and exactly the details it covers, which the token app shows before it signs.
import {
  detailsOf,
  isUsable,
  livePendingChange,
  type Payee,
  type PayeeActor,
  type PayeeBankNames,
  type PayeeDetails,
  payeeQuestion,
} from "#shared/domain/payee";

const iso = (at: number) => new Date(at).toISOString();
const actorView = (actor: PayeeActor) => ({ role: actor.role, userId: actor.userId, at: iso(actor.at) });

export interface PayeeChallenge {
  /** The OCRA question: SHA-256 of `PAYEE|payeeId|revision|bankCode|branchCode|accountType|accountNumber|name`. */
  question: string;
  payeeId: string;
  revision: number;
  payee: ChallengedPayee;
}

/** The details the question covers, and the names the token app shows with them. */
type ChallengedPayee = { [K in keyof (PayeeDetails & PayeeBankNames)]: (PayeeDetails & PayeeBankNames)[K] };

const namesOf = (names: PayeeBankNames): PayeeBankNames => ({
  bankName: names.bankName,
  bankKana: names.bankKana,
  branchName: names.branchName,
  branchKana: names.branchKana,
});

export const challengeFor = (
  payeeId: string,
  revision: number,
  details: PayeeDetails & PayeeBankNames,
): PayeeChallenge => ({
  question: payeeQuestion(payeeId, revision, details),
  payeeId,
  revision,
  payee: { ...detailsOf(details), ...namesOf(details) },
});

/** What awaits confirmation on the payee now, if anything: its registration, or a change of it. */
export const openChallenge = (payee: Payee, now: number): PayeeChallenge | undefined => {
  if (payee.status === "awaiting-confirmation") return challengeFor(payee.payeeId, payee.revision, payee);
  const pending = livePendingChange(payee, now);
  return pending ? challengeFor(payee.payeeId, pending.revision, pending) : undefined;
};

export const payeeView = (payee: Payee, now: number) => {
  const pending = payee.status === "active" ? livePendingChange(payee, now) : undefined;
  const challenge = openChallenge(payee, now);
  return {
    payeeId: payee.payeeId,
    status: payee.status,
    ...detailsOf(payee),
    ...namesOf(payee),
    nickname: payee.nickname,
    groups: [...payee.groups],
    revision: payee.revision,
    /** The JST date from which transfers may go to it; `null` until it is confirmed. */
    usableFrom: payee.usableFrom ?? null,
    usable: isUsable(payee, now),
    /** Whether a transfer to it has executed (then the first-use cap no longer applies). */
    used: payee.firstUsedAt !== undefined,
    registered: actorView(payee.registered),
    confirmed: payee.confirmed ? actorView(payee.confirmed) : null,
    /** A registration awaiting confirmation: when it is abandoned. */
    expiresAt: payee.status === "awaiting-confirmation" && payee.deadline ? iso(payee.deadline) : null,
    pendingChange: pending
      ? {
          ...detailsOf(pending),
          ...namesOf(pending),
          nickname: pending.nickname,
          groups: [...pending.groups],
          expiresAt: iso(pending.deadline),
        }
      : null,
    ...(challenge ? { challenge } : {}),
  };
};

export type PayeeView = ReturnType<typeof payeeView>;

/** The answer to a registration or a change: what now awaits confirmation. */
export interface PayeeAwaitingConfirmation {
  payeeId: string;
  status: "awaiting-confirmation";
  challenge: PayeeChallenge;
  expiresAt: string;
}

export const awaitingConfirmation = (
  payeeId: string,
  challenge: PayeeChallenge,
  deadline: number,
): PayeeAwaitingConfirmation => ({
  payeeId,
  status: "awaiting-confirmation",
  challenge,
  expiresAt: iso(deadline),
});
