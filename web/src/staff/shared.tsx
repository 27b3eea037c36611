// What the staff screens share: the API's shapes of accounts and transfers (generated), what shows while a
// GET loads, status badges, the payee as the token app shows it, and the word that signing needs a token.
import type { ProblemDetails, Transfer, TransferActor, TransferStatus } from "../api.ts";
import { formatDate, formatYen } from "../components/format.ts";
import { ProblemAlert } from "../components/problem-alert.tsx";
import { QrCode } from "../components/qr-code.tsx";
import { SignSimulatorHint } from "../components/token-simulator.tsx";
import { type Lang, useLang, useT } from "../i18n/index.ts";
import type { Me } from "../session.ts";
import { staffMessages } from "./messages.ts";

export type { Account, Payee, Transfer, TransferActor as Actor, TransferStatus } from "../api.ts";

export const holds = (me: Me, permission: Me["permissions"][number]): boolean =>
  me.permissions.includes(permission);

/** The transfer's creator is this principal (user IDs are compared without case, as the API does). */
export const isMine = (transfer: Pick<Transfer, "created">, me: Me): boolean =>
  transfer.created !== null &&
  transfer.created.role === me.role &&
  (transfer.created.userId ?? "").toLowerCase() === (me.userId ?? "").toLowerCase();

export const Loading = ({ problem }: { problem: ProblemDetails | null }) => {
  const t = useT(staffMessages);
  return problem ? <ProblemAlert problem={problem} /> : <p role="status">{t("loading")}</p>;
};

const statusKeys = {
  "awaiting-signature": "statusAwaitingSignature",
  "awaiting-approval": "statusAwaitingApproval",
  executed: "statusExecuted",
  rejected: "statusRejected",
  cancelled: "statusCancelled",
  expired: "statusExpired",
  scheduled: "statusScheduled",
  failed: "statusFailed",
} as const;

export const useStatusLabel = () => {
  const t = useT(staffMessages);
  return (status: TransferStatus) => t(statusKeys[status] ?? "statusExpired");
};

export const StatusBadge = ({ status }: { status: TransferStatus }) => {
  const label = useStatusLabel();
  return (
    <span class={`status status-${status}`} data-status={status}>
      {label(status)}
    </span>
  );
};

export const accountTypeLabel = (type: string, t: (key: "ordinary" | "checking") => string) =>
  type === "checking" ? t("checking") : t("ordinary");

export const actorLabel = (actor: TransferActor | null, adminLabel: string): string =>
  actor ? (actor.role === "admin" ? adminLabel : (actor.userId ?? "")) : "—";

/** The yen amount with its number as the token app shows it (`1,234,567 円 (JPY)`). */
export const yenWithCode = (amount: number, lang: Lang): string => `${formatYen(amount, lang)} (JPY)`;

/**
 * The transfer exactly as the token app will show it before signing: the payee's name, the payee's
 * account, the amount, the designated date when it has one, the transfer ID. A difference means the browser is not showing what is signed.
 */
export const ChallengeView = ({ transfer }: { transfer: Transfer }) => {
  const t = useT(staffMessages);
  const lang = useLang();
  const challenge = transfer.challenge;
  if (!challenge) return null;
  const { payee } = challenge;
  return (
    <section class="challenge" aria-labelledby="challenge-title" data-testid="challenge">
      <h2 id="challenge-title">{t("tokenShows")}</h2>
      <dl class="facts">
        <dt>{t("tokenPayee")}</dt>
        <dd data-testid="challenge-payee">{payee.name.normalize("NFC")}</dd>
        <dt>{t("tokenAccount")}</dt>
        <dd>
          {t("tokenAccountValue", {
            bankCode: payee.bankCode,
            branchCode: payee.branchCode,
            type: accountTypeLabel(payee.accountType, t),
            number: payee.accountNumber,
          })}
        </dd>
        <dt>{t("tokenAmount")}</dt>
        <dd data-testid="challenge-amount">{yenWithCode(challenge.amount, lang)}</dd>
        {challenge.executionDate ? (
          <>
            <dt>{t("tokenDate")}</dt>
            <dd data-testid="challenge-date">
              {formatDate(`${challenge.executionDate}T00:00:00+09:00`, lang)}
            </dd>
          </>
        ) : null}
        <dt>{t("transferId")}</dt>
        <dd>{transfer.transferId}</dd>
        <dt>{t("question")}</dt>
        <dd>
          <QuestionWithCode question={challenge.question} />
        </dd>
      </dl>
      <SignSimulatorHint
        transferId={transfer.transferId}
        question={challenge.question}
        payee={payee}
        amount={challenge.amount}
        executionDate={challenge.executionDate}
      />
    </section>
  );
};

/** The question as text and, beside it, as a QR code the token app can scan instead of typing it. */
export const QuestionWithCode = ({ question }: { question: string }) => {
  const t = useT(staffMessages);
  return (
    <div class="question-block">
      <QrCode text={question} label={t("questionQr")} />
      <span class="question" data-testid="question">
        {question}
      </span>
    </div>
  );
};

/**
 * Signing or approving needs the principal's own token, active (design §4): said before the principal starts,
 * with the way to register one. Nothing when the token is in use.
 */
export const TokenNeeded = ({ me }: { me: Me | null }) => {
  const t = useT(staffMessages);
  if (!me || me.token?.status === "active") return null;
  return (
    <div class="notice warning" role="note" data-testid="token-needed">
      <p>{t("tokenNeeded")}</p>
      <a href="#/settings/token">{t("tokenRegister")}</a>
    </div>
  );
};
