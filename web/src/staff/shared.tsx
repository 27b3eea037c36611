// What the staff screens share: the API's shapes of accounts and transfers (generated), loading a GET with its
// refusal, status badges, and the payee as the token app shows it.
import { useEffect, useState } from "preact/hooks";
import { api, type ProblemDetails, type Transfer, type TransferActor, type TransferStatus } from "../api.ts";
import { formatYen } from "../components/format.ts";
import { ProblemAlert } from "../components/problem-alert.tsx";
import { type Lang, useLang, useT } from "../i18n/index.ts";
import { handleSessionProblem, type Me } from "../session.ts";
import { staffMessages } from "./messages.ts";

export type { Account, Payee, Transfer, TransferActor as Actor, TransferStatus } from "../api.ts";

export const holds = (me: Me, permission: Me["permissions"][number]): boolean =>
  me.permissions.includes(permission);

/** The transfer's creator is this principal (user IDs are compared without case, as the API does). */
export const isMine = (transfer: Pick<Transfer, "created">, me: Me): boolean =>
  transfer.created !== null &&
  transfer.created.role === me.role &&
  (transfer.created.userId ?? "").toLowerCase() === (me.userId ?? "").toLowerCase();

/** A GET's answer, its refusal, and a way to load it again. */
export const useApiData = <T,>(path: string | null) => {
  const [data, setData] = useState<T | null>(null);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setProblem(null);
    void api.get<T>(path).then((answer) => {
      if (!live) return;
      if (answer.ok) setData(answer.data);
      else if (!handleSessionProblem(answer.problem)) setProblem(answer.problem);
    });
    return () => {
      live = false;
    };
  }, [path, version]);
  return { data, problem, reload: () => setVersion(version + 1), setData };
};

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
 * account, the amount, the transfer ID. A difference means the browser is not showing what is signed.
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
        <dt>{t("transferId")}</dt>
        <dd>{transfer.transferId}</dd>
        <dt>{t("question")}</dt>
        <dd class="question" data-testid="question">
          {challenge.question}
        </dd>
      </dl>
      <p class="hint">{t("signLocal")}</p>
      <pre class="command" data-testid="token-command">
        {`npm run token -- sign --transfer-id ${transfer.transferId} --question ${challenge.question} --payee '${JSON.stringify(
          {
            bankCode: payee.bankCode,
            branchCode: payee.branchCode,
            accountType: payee.accountType,
            accountNumber: payee.accountNumber,
            name: payee.name,
          },
        )}' --amount ${challenge.amount}`}
      </pre>
    </section>
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
