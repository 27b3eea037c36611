// A batch's transaction authentication (取引認証) by its creator and its approval by others: the count, total
// and date in large type, the question beside its QR code (and the simulator's command in local builds),
// the confirmation PIN and the code; the approver's rejection and the creator's cancellation; the list of
// batches by status (the scheduled ones with their dates) and the queue of those awaiting this principal.
import { useId, useState } from "preact/hooks";
import {
  api,
  type Batch,
  type BatchPage,
  type BatchStatus,
  downloadFile,
  type ProblemDetails,
} from "../api.ts";
import { EndForm } from "../components/end-form.tsx";
import { formatDate, formatYen } from "../components/format.ts";
import { ProblemAlert } from "../components/problem-alert.tsx";
import { BatchSimulatorHint } from "../components/token-simulator.tsx";
import { useApiData, usePagedApiData } from "../components/use-api-data.ts";
import { type Lang, useLang, useT } from "../i18n/index.ts";
import { handleSessionProblem, type Me, useSession } from "../session.ts";
import { batchFlowMessages, batchMessages, statementMessages } from "./batch-messages.ts";
import { BatchLines, BatchSummary, batchPath, useKindLabel } from "./batches.tsx";
import {
  holds,
  isMine,
  Loading,
  QuestionWithCode,
  StatusBadge,
  TokenNeeded,
  useStatusLabel,
} from "./shared.tsx";
import { CodeForm } from "./transfers.tsx";

/** Whether this principal may approve batches of this kind: salary and bonus need payroll:approve. */
export const approvesKind = (me: Me, kind: Batch["kind"]): boolean =>
  kind === "general" ? holds(me, "transfers:approve") : holds(me, "payroll:approve");

/** The batch as the token app shows it: count, total and date in large type, then the question. */
const BatchChallenge = ({ batch, lang }: { batch: Batch; lang: Lang }) => {
  const f = useT(batchFlowMessages);
  const b = useT(batchMessages);
  const kindLabel = useKindLabel();
  return (
    <>
      <section class="sign-summary" aria-labelledby="batch-summary-title" data-testid="batch-sign-summary">
        <h2 id="batch-summary-title">{f("tokenShows")}</h2>
        <p class="sign-account">{kindLabel(batch.kind)}</p>
        <p class="sign-amount" data-testid="challenge-total">
          {formatYen(batch.challenge.total, lang)}
        </p>
        <p class="sign-bank" data-testid="challenge-count">
          {`${b("count")}：${b("countValue", { count: batch.challenge.count })}`}
        </p>
        <p class="sign-bank" data-testid="challenge-date">
          {`${b("date")}：${formatDate(`${batch.challenge.date}T00:00:00+09:00`, lang)}`}
        </p>
      </section>
      <section class="challenge" aria-labelledby="batch-question-title" data-testid="batch-challenge">
        <h2 id="batch-question-title">{f("question")}</h2>
        <QuestionWithCode question={batch.challenge.question} />
        <BatchSimulatorHint batch={batch} />
      </section>
    </>
  );
};

/** A changing request about one batch; the answer's status, or the refusal. */
const useBatchAction = () => {
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async (path: string, body: unknown): Promise<BatchStatus | null> => {
    setBusy(true);
    setProblem(null);
    const answer = await api.post<{ status: BatchStatus }>(path, body);
    setBusy(false);
    if (answer.ok) return answer.data.status;
    if (!handleSessionProblem(answer.problem)) setProblem(answer.problem);
    return null;
  };
  return { problem, busy, send };
};

const Done = ({ message, batchId }: { message: string; batchId: string }) => {
  const b = useT(batchMessages);
  return (
    <div class="notice" role="status" data-testid="action-done">
      <p>{message}</p>
      <p>
        <a href={`#${batchPath(batchId)}`}>{b("detailTitle")}</a>
      </p>
    </div>
  );
};

/** The creator's 取引認証 of a batch. */
export const SignBatchScreen = ({ params }: { params: Record<string, string> }) => {
  const f = useT(batchFlowMessages);
  const status = useStatusLabel();
  const lang = useLang();
  const me = useSession().me;
  const id = params.batchId ?? "";
  const { data, problem: loadProblem } = useApiData<Batch>(batchPath(id));
  const { problem, busy, send } = useBatchAction();
  const [signed, setSigned] = useState<BatchStatus | null>(null);
  if (!data) return <Loading problem={loadProblem} />;
  return (
    <div>
      <h1>{f("signTitle")}</h1>
      {signed ? (
        <Done message={f(signed === "scheduled" ? "signedScheduled" : "signedAwaiting")} batchId={id} />
      ) : data.status !== "awaiting-signature" ? (
        <p class="notice warning">{f("notSignable", { status: status(data.status) })}</p>
      ) : (
        <>
          <TokenNeeded me={me} />
          <p>{f("signLead")}</p>
          <BatchChallenge batch={data} lang={lang} />
          <CodeForm
            name="sign-batch"
            submitLabel={f("sign")}
            problem={problem}
            busy={busy}
            onSubmit={async (confirmationPin, code) => {
              setSigned(await send(`${batchPath(id)}/sign`, { confirmationPin, code }));
            }}
          />
        </>
      )}
    </div>
  );
};

/** Another principal's approval or rejection of a batch. */
export const ApproveBatchScreen = ({ params }: { params: Record<string, string> }) => {
  const f = useT(batchFlowMessages);
  const status = useStatusLabel();
  const lang = useLang();
  const me = useSession().me;
  const id = params.batchId ?? "";
  const { data, problem: loadProblem } = useApiData<Batch>(batchPath(id));
  const { problem, busy, send } = useBatchAction();
  const [done, setDone] = useState<string | null>(null);
  if (!data || !me) return <Loading problem={loadProblem} />;
  return (
    <div>
      <h1>{f("approveTitle")}</h1>
      {done ? (
        <Done message={done} batchId={id} />
      ) : data.status !== "awaiting-approval" ? (
        <p class="notice warning">{f("notApprovable", { status: status(data.status) })}</p>
      ) : (
        <>
          <TokenNeeded me={me} />
          <p>{f("approveLead")}</p>
          <BatchChallenge batch={data} lang={lang} />
          <CodeForm
            name="approve-batch"
            submitLabel={f("approve")}
            problem={problem}
            busy={busy}
            onSubmit={async (confirmationPin, code) => {
              const answer = await send(`${batchPath(id)}/approve`, { confirmationPin, code });
              if (answer) setDone(f(answer === "scheduled" ? "signedScheduled" : "approved"));
            }}
          />
          <EndBatchForm action="reject" batchId={id} onDone={() => setDone(status("rejected"))} />
        </>
      )}
    </div>
  );
};

/** The creator's cancellation or the approver's rejection of a batch, confirmed with the confirmation PIN. */
export const EndBatchForm = ({
  batchId,
  action,
  onDone,
}: {
  batchId: string;
  action: "cancel" | "reject";
  onDone: () => void;
}) => {
  const f = useT(batchFlowMessages);
  return (
    <EndForm
      path={batchPath(batchId)}
      action={action}
      name={`${action}-batch`}
      words={{
        title: f(action === "cancel" ? "cancelTitle" : "rejectTitle"),
        cancelLead: f("cancelLead"),
        submit: f(action),
        reason: f("reason"),
      }}
      onDone={onDone}
    />
  );
};

/** A batch's detail: its summary, the next step this principal may take, its lines, and the cancellation. */
export const BatchDetailScreen = ({ params }: { params: Record<string, string> }) => {
  const b = useT(batchMessages);
  const f = useT(batchFlowMessages);
  const lang = useLang();
  const me = useSession().me;
  const id = params.batchId ?? "";
  const { data, problem, reload } = useApiData<Batch>(batchPath(id));
  if (!data || !me) return <Loading problem={problem} />;
  const mine = isMine(data, me);
  const open =
    data.status === "awaiting-signature" ||
    data.status === "awaiting-approval" ||
    data.status === "scheduled";
  return (
    <div>
      <p>
        <a href="#/batches">{f("listTitle")}</a>
      </p>
      <h1>{b("detailTitle")}</h1>
      {data.status === "awaiting-signature" && mine ? (
        <p class="notice" role="status" data-testid="batch-accepted">
          {b("accepted")}
        </p>
      ) : null}
      <section class="panel">
        <BatchSummary batch={data} lang={lang} />
        {data.approvals ? (
          <p data-testid="batch-approvals">
            {`${f("approvals")}: ${f("approvalsValue", {
              given: data.approvals.given.length,
              required: data.approvals.required,
            })}`}
          </p>
        ) : null}
        {data.failure ? (
          <p class="notice warning" data-testid="batch-failure">
            {`${f("failure")}: ${f(`failure-${data.failure}`)}`}
          </p>
        ) : null}
        <div class="actions">
          {mine && data.status === "awaiting-signature" ? (
            <a href={`#${batchPath(id)}/sign`} data-testid="sign-batch">
              {f("signNow")}
            </a>
          ) : null}
          {!mine && data.status === "awaiting-approval" && approvesKind(me, data.kind) ? (
            <a href={`#${batchPath(id)}/approve`} data-testid="approve-batch">
              {f("approveNow")}
            </a>
          ) : null}
        </div>
      </section>
      {me.role === "admin" && data.status === "executed" ? <ClearingFile batch={data} /> : null}
      <BatchLines batchId={id} lang={lang} />
      {mine && open ? <EndBatchForm action="cancel" batchId={id} onDone={reload} /> : null}
    </div>
  );
};

/** The administrator's download of an executed batch's outgoing Zengin file, once it is written. */
const ClearingFile = ({ batch }: { batch: Batch }) => {
  const s = useT(statementMessages);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [busy, setBusy] = useState(false);
  if (batch.clearingFile !== "written")
    return (
      <p class="notice" data-testid="clearing-pending">
        {s("clearingPending")}
      </p>
    );
  const download = async () => {
    setBusy(true);
    const refused = await downloadFile(`${batchPath(batch.batchId)}/clearing-file`, `${batch.batchId}.txt`);
    setBusy(false);
    setProblem(refused && !handleSessionProblem(refused) ? refused : null);
  };
  return (
    <div class="actions">
      <button type="button" onClick={download} disabled={busy} data-testid="clearing-file">
        {s("clearingFile")}
      </button>
      <ProblemAlert problem={problem} />
    </div>
  );
};

const statuses: readonly BatchStatus[] = [
  "awaiting-signature",
  "awaiting-approval",
  "scheduled",
  "executed",
  "failed",
  "rejected",
  "cancelled",
  "expired",
];

export const BatchTable = ({
  items,
  lang,
  approve = false,
}: {
  items: readonly Batch[];
  lang: Lang;
  approve?: boolean;
}) => {
  const b = useT(batchMessages);
  const f = useT(batchFlowMessages);
  const kindLabel = useKindLabel();
  return (
    <div class="table-wrap">
      <table class="responsive" data-testid="batches">
        <thead>
          <tr>
            <th scope="col">{b("date")}</th>
            <th scope="col">{b("kind")}</th>
            <th scope="col">{b("count")}</th>
            <th scope="col" class="amount">
              {b("total")}
            </th>
            <th scope="col">{b("status")}</th>
            <th scope="col">{f("details")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((batch) => (
            <tr key={batch.batchId} data-batch={batch.batchId} data-status={batch.status}>
              <td data-label={b("date")}>{formatDate(`${batch.date}T00:00:00+09:00`, lang)}</td>
              <td data-label={b("kind")}>{kindLabel(batch.kind)}</td>
              <td data-label={b("count")}>{b("countValue", { count: batch.count })}</td>
              <td data-label={b("total")} class="amount">
                {formatYen(batch.total, lang)}
              </td>
              <td data-label={b("status")}>
                <StatusBadge status={batch.status} />
              </td>
              <td data-label={f("details")}>
                <a href={`#${batchPath(batch.batchId)}${approve ? "/approve" : ""}`}>
                  {approve ? f("approveNow") : f("details")}
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

/** The batches this principal may see, filtered by status (the scheduled ones show their dates). */
export const BatchesScreen = () => {
  const f = useT(batchFlowMessages);
  const b = useT(batchMessages);
  const status = useStatusLabel();
  const lang = useLang();
  const filterId = useId();
  const [filter, setFilter] = useState<BatchStatus | "">("");
  const list = usePagedApiData<Batch>(`/batches?limit=20${filter ? `&status=${filter}` : ""}`);
  return (
    <div>
      <h1>{f("listTitle")}</h1>
      <p>
        <a href="#/batches/new">{b("uploadTitle")}</a>
      </p>
      <div class="field">
        <label for={filterId}>{f("filter")}</label>
        <select
          id={filterId}
          name="status"
          value={filter}
          onChange={(event) => setFilter((event.target as HTMLSelectElement).value as BatchStatus | "")}
        >
          <option value="">{f("all")}</option>
          {statuses.map((value) => (
            <option key={value} value={value}>
              {status(value)}
            </option>
          ))}
        </select>
      </div>
      {list.items === null ? (
        <Loading problem={list.problem} />
      ) : list.items.length === 0 ? (
        <p data-testid="no-batches">{f("none")}</p>
      ) : (
        <BatchTable items={list.items} lang={lang} />
      )}
      {list.items !== null ? <ProblemAlert problem={list.problem} /> : null}
      {list.hasMore ? (
        <button type="button" disabled={list.loading} onClick={list.more}>
          {b("more")}
        </button>
      ) : null}
    </div>
  );
};

/** The batches whose next approval this principal may give. */
export const BatchApprovalsScreen = () => {
  const f = useT(batchFlowMessages);
  const lang = useLang();
  const me = useSession().me;
  const first = useApiData<BatchPage>("/batches?awaiting=me&limit=100");
  if (!first.data || !me) return <Loading problem={first.problem} />;
  const waiting = first.data.items.filter(
    (batch) => batch.status === "awaiting-approval" && !isMine(batch, me) && approvesKind(me, batch.kind),
  );
  return (
    <div>
      <h1>{f("approvalsTitle")}</h1>
      <p>{f("approvalsLead")}</p>
      {waiting.length === 0 ? (
        <p data-testid="no-batch-approvals">{f("noApprovals")}</p>
      ) : (
        <BatchTable items={waiting} lang={lang} approve />
      )}
    </div>
  );
};
