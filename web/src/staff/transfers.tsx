// Transfers: the list and one transfer's detail with its status and history, the creator's signature
// (confirmation PIN + transaction code over the question), the approval queue and another principal's
// approval or rejection, and the creator's cancellation. Every refusal is shown from the problem details.
import { useId, useState } from "preact/hooks";
import { api, type ProblemDetails, type TransferPage } from "../api.ts";
import { ConfirmationPinField } from "../components/confirm-form.tsx";
import { EndForm } from "../components/end-form.tsx";
import { formatDateTime, formatYen } from "../components/format.ts";
import { PinField } from "../components/pin-field.tsx";
import { ProblemAlert } from "../components/problem-alert.tsx";
import { useApiData, usePagedApiData } from "../components/use-api-data.ts";
import { useLang, useT, withNote } from "../i18n/index.ts";
import { handleSessionProblem, type Me, useSession } from "../session.ts";
import { approvalMessages } from "./approval-messages.ts";
import { ApprovalCount, ApprovalSteps } from "./approvals.tsx";
import { staffMessages } from "./messages.ts";
import {
  accountTypeLabel,
  actorLabel,
  ChallengeView,
  holds,
  isMine,
  Loading,
  StatusBadge,
  TokenNeeded,
  type Transfer,
  type TransferStatus,
  useStatusLabel,
} from "./shared.tsx";
import { SignSummary, TransferReceipt, TransferSteps } from "./transfer-flow.tsx";
import { transferFlowMessages } from "./transfer-flow-messages.ts";

const transferPath = (id: string) => `/transfers/${encodeURIComponent(id)}`;

/** A changing request about one transfer; the answer's status, or the refusal shown by the form. */
const useTransferAction = () => {
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async (path: string, body: unknown): Promise<TransferStatus | null> => {
    setBusy(true);
    setProblem(null);
    const answer = await api.post<{ status: TransferStatus }>(path, body);
    setBusy(false);
    if (answer.ok) return answer.data.status;
    if (!handleSessionProblem(answer.problem)) setProblem(answer.problem);
    return null;
  };
  return { problem, busy, send };
};

const lockedRoleOf = (me: Me | null) => (me?.role === "admin" ? "admin" : "user");

/** The confirmation PIN and the transaction code, as signing and approving both ask them. */
export const CodeForm = ({
  name,
  submitLabel,
  onSubmit,
  problem,
  busy,
}: {
  name: string;
  submitLabel: string;
  onSubmit: (pin: string, code: string) => Promise<void>;
  problem: ProblemDetails | null;
  busy: boolean;
}) => {
  const t = useT(staffMessages);
  const me = useSession().me;
  const formId = useId();
  const [pin, setPin] = useState("");
  const [code, setCode] = useState("");
  const errorId = `${formId}-problem`;
  const submit = async (event: Event) => {
    event.preventDefault();
    await onSubmit(pin, code);
    setPin("");
    setCode("");
  };
  return (
    <form onSubmit={submit} name={name} aria-describedby={problem ? errorId : undefined}>
      <ConfirmationPinField
        value={pin}
        onInput={setPin}
        problem={problem}
        describedBy={problem ? errorId : undefined}
      />
      <PinField
        label={t("transactionCode")}
        name="code"
        inputMode="numeric"
        maxLength={8}
        value={code}
        onInput={(value) => setCode(value.replace(/\D/g, ""))}
        invalid={problem?.slug === "invalid-credentials"}
        describedBy={problem ? errorId : undefined}
      />
      <ProblemAlert
        problem={problem}
        id={errorId}
        lockedRole={lockedRoleOf(me)}
        message={problem?.slug === "invalid-credentials" ? t("wrongPinOrCode") : null}
      />
      <button type="submit" class="primary" disabled={busy || pin === "" || code.length !== 8}>
        {busy ? t("sending") : submitLabel}
      </button>
    </form>
  );
};

const Done = ({ message, transferId }: { message: string; transferId: string }) => {
  const t = useT(staffMessages);
  return (
    <div class="notice" role="status" data-testid="action-done">
      <p>{message}</p>
      <p>
        <a href={`#${transferPath(transferId)}`}>{t("toDetail")}</a>
      </p>
    </div>
  );
};

/**
 * The creator's transaction authentication (取引認証), the flow's third step: the payee's bank, branch and
 * amount in large type, the question beside its QR code; then the fourth, the receipt with the reference.
 */
export const SignTransferScreen = ({ params }: { params: Record<string, string> }) => {
  const t = useT(staffMessages);
  const f = useT(transferFlowMessages);
  const status = useStatusLabel();
  const id = params.transferId ?? "";
  const { data, problem: loadProblem, reload } = useApiData<Transfer>(transferPath(id));
  const { problem, busy, send } = useTransferAction();
  const [signed, setSigned] = useState<TransferStatus | null>(null);
  const me = useSession().me;
  if (!data) return <Loading problem={loadProblem} />;
  return (
    <div>
      <h1>{signed ? f("doneTitle") : t("signTitle")}</h1>
      <TransferSteps current={signed ? "done" : "sign"} />
      {signed ? (
        // The receipt shows the transfer as the API has it after the authentication.
        data.status === "awaiting-signature" ? (
          <Loading problem={loadProblem} />
        ) : (
          <TransferReceipt transfer={data} />
        )
      ) : data.status !== "awaiting-signature" ? (
        <p class="notice warning">{t("notSignable", { status: status(data.status) })}</p>
      ) : (
        <>
          <TokenNeeded me={me} />
          <p>{t("signLead")}</p>
          <SignSummary transfer={data} />
          <ChallengeView transfer={data} />
          <CodeForm
            name="sign-transfer"
            submitLabel={t("sign")}
            problem={problem}
            busy={busy}
            onSubmit={async (confirmationPin, code) => {
              const answer = await send(`${transferPath(id)}/sign`, { confirmationPin, code });
              if (answer) reload();
              setSigned(answer);
            }}
          />
          <p>
            <a href={`#${transferPath(id)}`}>{t("toDetail")}</a>
          </p>
        </>
      )}
    </div>
  );
};

export const TransfersScreen = () => {
  const t = useT(staffMessages);
  const lang = useLang();
  const list = usePagedApiData<Transfer>("/transfers?limit=20");
  return (
    <div>
      <h1>{t("transfersTitle")}</h1>
      {list.items === null ? (
        <Loading problem={list.problem} />
      ) : list.items.length === 0 ? (
        <p>{t("noTransfers")}</p>
      ) : (
        <TransferTable items={list.items} lang={lang} />
      )}
      {list.items !== null ? <ProblemAlert problem={list.problem} /> : null}
      {list.hasMore ? (
        <button type="button" disabled={list.loading} onClick={list.more}>
          {t("more")}
        </button>
      ) : null}
    </div>
  );
};

export const TransferTable = ({
  items,
  lang,
  link = (transfer) => `#${transferPath(transfer.transferId)}`,
  linkLabel,
  approvals = false,
}: {
  items: readonly Transfer[];
  lang: "ja" | "en";
  link?: (transfer: Transfer) => string;
  linkLabel?: string;
  /** Adds a column of the approvals given of those each transfer's tier needs. */
  approvals?: boolean;
}) => {
  const t = useT(staffMessages);
  const a = useT(approvalMessages);
  return (
    <div class="table-wrap">
      <table class="responsive" data-testid="transfers">
        <thead>
          <tr>
            <th scope="col">{t("createdAt")}</th>
            <th scope="col">{t("payee")}</th>
            <th scope="col" class="amount">
              {t("amount")}
            </th>
            <th scope="col">{t("status")}</th>
            <th scope="col">{t("createdBy")}</th>
            {approvals ? <th scope="col">{a("column")}</th> : null}
            <th scope="col">{t("details")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((transfer) => (
            <tr key={transfer.transferId} data-transfer={transfer.transferId}>
              <td data-label={t("createdAt")}>{formatDateTime(transfer.created?.at, lang)}</td>
              <td data-label={t("payee")}>{transfer.payee.name}</td>
              <td data-label={t("amount")} class="amount">
                {formatYen(transfer.amount, lang)}
              </td>
              <td data-label={t("status")}>
                <StatusBadge status={transfer.status} />
              </td>
              <td data-label={t("createdBy")}>{actorLabel(transfer.created, t("admin"))}</td>
              {approvals ? (
                <td data-label={a("column")}>
                  <ApprovalCount approvals={transfer.approvals} />
                </td>
              ) : null}
              <td data-label={t("details")}>
                <a href={link(transfer)}>{linkLabel ?? t("details")}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

/** The creator's cancellation or the approver's rejection of a transfer, confirmed with the confirmation PIN. */
const EndTransferForm = ({
  transferId,
  action,
  onDone,
}: {
  transferId: string;
  action: "cancel" | "reject";
  onDone: () => void;
}) => {
  const t = useT(staffMessages);
  return (
    <EndForm
      path={transferPath(transferId)}
      action={action}
      name={`${action}-transfer`}
      words={{
        title: t(action === "cancel" ? "cancelTitle" : "rejectTitle"),
        cancelLead: t("cancelLead"),
        submit: t(action),
        reason: t("reason"),
      }}
      onDone={onDone}
    />
  );
};

export const TransferDetailScreen = ({ params }: { params: Record<string, string> }) => {
  const t = useT(staffMessages);
  const f = useT(transferFlowMessages);
  const lang = useLang();
  const me = useSession().me;
  const id = params.transferId ?? "";
  const { data, problem, reload } = useApiData<Transfer>(transferPath(id));
  if (!data || !me) return <Loading problem={problem} />;
  const mine = isMine(data, me);
  const open = data.status === "awaiting-signature" || data.status === "awaiting-approval";
  const actor = (value: Transfer["signed"]) =>
    value ? withNote(actorLabel(value, t("admin")), formatDateTime(value.at, lang), lang) : "—";
  return (
    <div>
      <p>
        <a href="#/transfers">{t("back")}</a>
      </p>
      <h1>{t("detailTitle")}</h1>
      <section class="panel">
        <dl class="facts" data-testid="transfer-detail">
          <dt>{t("status")}</dt>
          <dd>
            <StatusBadge status={data.status} />
          </dd>
          <dt>{f("reference")}</dt>
          <dd data-testid="reference">{data.reference}</dd>
          <dt>{t("transferId")}</dt>
          <dd>{data.transferId}</dd>
          <dt>{t("from")}</dt>
          <dd>{`${data.from.name} ${data.from.branchCode}-${data.from.accountNumber}`}</dd>
          <dt>{t("payee")}</dt>
          <dd>
            {`${data.payee.name}　${t("tokenAccountValue", {
              bankCode: data.payee.bankCode,
              branchCode: data.payee.branchCode,
              type: accountTypeLabel(data.payee.accountType, t),
              number: data.payee.accountNumber,
            })}`}
          </dd>
          <dt>{t("amount")}</dt>
          <dd>{formatYen(data.amount, lang)}</dd>
          <dt>{t("createdBy")}</dt>
          <dd>{actor(data.created)}</dd>
          <dt>{t("signedBy")}</dt>
          <dd>{actor(data.signed)}</dd>
          <dt>{t("approvedBy")}</dt>
          <dd>{actor(data.approved)}</dd>
          {data.rejected ? (
            <>
              <dt>{t("rejectedBy")}</dt>
              <dd>{actor(data.rejected)}</dd>
              <dt>{t("rejectReason")}</dt>
              <dd>{data.rejected.reason ?? "—"}</dd>
            </>
          ) : null}
          {data.cancelled ? (
            <>
              <dt>{t("cancelledBy")}</dt>
              <dd>{actor(data.cancelled)}</dd>
            </>
          ) : null}
          <dt>{t("executedAt")}</dt>
          <dd>{formatDateTime(data.executedAt, lang)}</dd>
          {data.expiresAt ? (
            <>
              <dt>{t("expiresAt")}</dt>
              <dd>{formatDateTime(data.expiresAt, lang)}</dd>
            </>
          ) : null}
        </dl>
        <div class="actions">
          {mine && data.status === "awaiting-signature" ? (
            <a href={`#${transferPath(id)}/sign`}>{t("signNow")}</a>
          ) : null}
          {!mine &&
          data.status === "awaiting-approval" &&
          holds(me, "transfers:approve") &&
          data.approvals?.mine !== false ? (
            <a href={`#${transferPath(id)}/approve`}>{t("approveNow")}</a>
          ) : null}
        </div>
      </section>
      <ApprovalSteps transfer={data} />
      {mine && open ? <EndTransferForm action="cancel" transferId={id} onDone={reload} /> : null}
    </div>
  );
};

export const ApprovalsScreen = () => {
  const t = useT(staffMessages);
  const lang = useLang();
  const me = useSession().me;
  // The API keeps those whose next approval this principal may give (the tier's turn, not approved yet).
  const first = useApiData<TransferPage>("/transfers?awaiting=me&limit=100");
  if (!first.data || !me) return <Loading problem={first.problem} />;
  const waiting = first.data.items.filter(
    (transfer) => transfer.status === "awaiting-approval" && !isMine(transfer, me),
  );
  return (
    <div>
      <h1>{t("approvalsTitle")}</h1>
      <p>{t("approvalsLead")}</p>
      {waiting.length === 0 ? (
        <p data-testid="no-approvals">{t("noApprovals")}</p>
      ) : (
        <TransferTable
          items={waiting}
          lang={lang}
          link={(transfer) => `#${transferPath(transfer.transferId)}/approve`}
          linkLabel={t("approveNow")}
          approvals
        />
      )}
    </div>
  );
};

export const ApproveTransferScreen = ({ params }: { params: Record<string, string> }) => {
  const t = useT(staffMessages);
  const status = useStatusLabel();
  const me = useSession().me;
  const id = params.transferId ?? "";
  const { data, problem: loadProblem } = useApiData<Transfer>(transferPath(id));
  const { problem, busy, send } = useTransferAction();
  const a = useT(approvalMessages);
  const [done, setDone] = useState<"approved" | "approved-awaiting" | "rejected" | null>(null);
  if (!data || !me) return <Loading problem={loadProblem} />;
  const approvals = data.approvals;
  // Not this principal's turn (or approved by it already): it may still reject.
  const turn =
    approvals && !approvals.mine
      ? approvals.given.some(
          (given) =>
            given.by.role === me.role &&
            (given.by.userId ?? "").toLowerCase() === (me.userId ?? "").toLowerCase(),
        )
        ? a("alreadyApproved")
        : a("notYourTurn", {
            who: a(approvals.next === "administrator" ? "whoAdministrator" : "whoUsers"),
          })
      : null;
  return (
    <div>
      <p>
        <a href="#/approvals">{t("back")}</a>
      </p>
      <h1>{t("approveTitle")}</h1>
      {done ? (
        <Done
          message={
            done === "approved"
              ? t("approved")
              : done === "approved-awaiting"
                ? a("approvedAwaiting")
                : t("rejected")
          }
          transferId={id}
        />
      ) : isMine(data, me) ? (
        <p class="notice warning">{t("ownTransfer")}</p>
      ) : data.status !== "awaiting-approval" ? (
        <p class="notice warning">{t("notApprovable", { status: status(data.status) })}</p>
      ) : (
        <>
          <p>{t("approveLead")}</p>
          <SignSummary transfer={data} />
          <ChallengeView transfer={data} />
          <ApprovalSteps transfer={data} />
          {turn ? (
            <p class="notice warning" data-testid="not-your-turn">
              {turn}
            </p>
          ) : (
            <section class="panel">
              <h2>{t("approve")}</h2>
              <CodeForm
                name="approve-transfer"
                submitLabel={t("approve")}
                problem={problem}
                busy={busy}
                onSubmit={async (confirmationPin, code) => {
                  const status = await send(`${transferPath(id)}/approve`, { confirmationPin, code });
                  if (status) setDone(status === "executed" ? "approved" : "approved-awaiting");
                }}
              />
            </section>
          )}
          <EndTransferForm action="reject" transferId={id} onDone={() => setDone("rejected")} />
        </>
      )}
    </div>
  );
};
