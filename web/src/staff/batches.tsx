// Bulk transfers (総合振込, 給与・賞与振込): the upload of a Zengin file or a CSV for the account, kind and date
// chosen here, a refused file's errors in a table by line, field and problem (paged), and a batch's summary
// with its lines as the API pages them.
import { useId, useRef, useState } from "preact/hooks";
import {
  type AccountList,
  api,
  type Batch,
  type BatchLine,
  type CreatedBatch,
  type ProblemDetails,
} from "../api.ts";
import { formatDate, formatDateTime, formatYen } from "../components/format.ts";
import { ProblemAlert } from "../components/problem-alert.tsx";
import { useApiData, usePagedApiData } from "../components/use-api-data.ts";
import { type Lang, useLang, useT, withNote } from "../i18n/index.ts";
import { navigate } from "../router.ts";
import { handleSessionProblem, type Me, useSession } from "../session.ts";
import { batchMessages, fileFieldMessages, fileProblemMessages } from "./batch-messages.ts";
import { staffMessages } from "./messages.ts";
import { actorLabel, holds, Loading, StatusBadge } from "./shared.tsx";

export type BatchKind = Batch["kind"];

export const batchPath = (id: string) => `/batches/${encodeURIComponent(id)}`;

/** The kinds this principal may see and make: salary and bonus only with `payroll:view`. */
export const kindsFor = (me: Me | null): readonly BatchKind[] =>
  me && holds(me, "payroll:view") ? ["general", "salary", "bonus"] : ["general"];

export const useKindLabel = () => {
  const b = useT(batchMessages);
  return (kind: BatchKind) =>
    b(kind === "salary" ? "kindSalary" : kind === "bonus" ? "kindBonus" : "kindGeneral");
};

/** A file's media type for `POST /v1/batches`: a CSV by its name or type, a Zengin file otherwise. */
const mediaTypeOf = (file: File): string =>
  /\.csv$/i.test(file.name) || file.type === "text/csv" ? "text/csv" : "application/vnd.zengin";

type FileErrorItem = NonNullable<ProblemDetails["errors"]>[number];

const errorsPerPage = 20;

/** A refused file's errors, a page at a time: line, field and problem in the screen's language. */
export const FileErrors = ({
  problem,
  lineLabel,
}: {
  problem: ProblemDetails;
  /** How a line of the file is named on this screen; its number by default. */
  lineLabel?: (line: number) => string;
}) => {
  const b = useT(batchMessages);
  const field = useT(fileFieldMessages);
  const explain = useT(fileProblemMessages);
  const captionId = useId();
  const errors: readonly FileErrorItem[] = problem.errors ?? [];
  const total = problem.errorCount ?? errors.length;
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(errors.length / errorsPerPage));
  const shown = errors.slice(page * errorsPerPage, (page + 1) * errorsPerPage);
  const fieldLabel = (name: string) =>
    name in fileFieldMessages.ja ? field(name as keyof typeof fileFieldMessages.ja) : name;
  const problemText = (error: FileErrorItem) => {
    const key = error.problem ?? error.rule;
    return explain(key in fileProblemMessages.ja ? (key as keyof typeof fileProblemMessages.ja) : "other");
  };
  return (
    <div class="problem" role="alert" data-slug="invalid-file" data-testid="file-errors">
      <p class="problem-message">{b("refusedTitle", { count: total })}</p>
      {total > errors.length ? (
        <p class="problem-more">{b("refusedMore", { shown: errors.length })}</p>
      ) : null}
      <div class="table-wrap">
        <table class="responsive" aria-labelledby={captionId}>
          <caption id={captionId}>{b("errorsCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{b("line")}</th>
              <th scope="col">{b("field")}</th>
              <th scope="col">{b("problem")}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((error, index) => (
              <tr key={`${page}-${index}`} data-line={error.line ?? 0} data-field={error.field}>
                <td data-label={b("line")}>
                  {error.line ? (lineLabel?.(error.line) ?? error.line) : b("wholeFile")}
                </td>
                <td data-label={b("field")}>{fieldLabel(error.field)}</td>
                <td data-label={b("problem")} data-problem={error.problem ?? error.rule}>
                  {problemText(error)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <div class="actions pager" data-testid="file-errors-pager">
          <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
            {b("previous")}
          </button>
          <span>
            {b("pageOf", {
              from: page * errorsPerPage + 1,
              to: page * errorsPerPage + shown.length,
              total: errors.length,
            })}
          </span>
          <button type="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
            {b("next")}
          </button>
        </div>
      ) : null}
    </div>
  );
};

/** The account, kind and date chosen on the screen, as `POST /v1/batches` takes them in its query. */
export interface BatchTarget {
  readonly accountId: string;
  readonly kind: BatchKind;
  readonly date: string;
}

/**
 * Sends a batch's file; the created batch, or the refusal. One Idempotency-Key per file and target, so a
 * repeated send of the same file answers as the first did.
 */
export const useBatchUpload = () => {
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [busy, setBusy] = useState(false);
  const attempt = useRef<{ file: Blob; target: string; key: string } | null>(null);
  const send = async (target: BatchTarget, file: Blob, contentType: string): Promise<CreatedBatch | null> => {
    const query = new URLSearchParams({ accountId: target.accountId, kind: target.kind, date: target.date });
    const said = query.toString();
    if (!attempt.current || attempt.current.file !== file || attempt.current.target !== said)
      attempt.current = { file, target: said, key: crypto.randomUUID() };
    setBusy(true);
    setProblem(null);
    const answer = await api.post<CreatedBatch>(`/batches?${said}`, undefined, {
      raw: { contentType, bytes: file },
      headers: { "Idempotency-Key": attempt.current.key },
    });
    setBusy(false);
    if (answer.ok) return answer.data;
    if (!handleSessionProblem(answer.problem)) setProblem(answer.problem);
    return null;
  };
  return { problem, busy, send, clear: () => setProblem(null) };
};

/** The refusal of a batch's file: the errors' table for `invalid-file`, the problem otherwise. */
export const UploadProblem = ({
  problem,
  lineLabel,
}: {
  problem: ProblemDetails | null;
  lineLabel?: (line: number) => string;
}) =>
  problem === null ? null : problem.slug === "invalid-file" ? (
    <FileErrors
      problem={problem}
      key={problem.correlationId ?? problem.errorCount}
      {...(lineLabel ? { lineLabel } : {})}
    />
  ) : (
    <ProblemAlert problem={problem} />
  );

export const AccountSelect = ({
  accounts,
  value,
  onChange,
  label,
}: {
  accounts: AccountList["items"];
  value: string;
  onChange: (accountId: string) => void;
  label: string;
}) => {
  const id = useId();
  const lang = useLang();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
        name="accountId"
        value={value}
        onChange={(event) => onChange((event.target as HTMLSelectElement).value)}
      >
        {accounts.map((account) => (
          <option key={account.accountId} value={account.accountId}>
            {withNote(
              `${account.name} ${account.branchCode}-${account.accountNumber}`,
              formatYen(account.balance, lang),
              lang,
            )}
          </option>
        ))}
      </select>
    </div>
  );
};

export const KindSelect = ({
  value,
  onChange,
}: {
  value: BatchKind;
  onChange: (kind: BatchKind) => void;
}) => {
  const b = useT(batchMessages);
  const label = useKindLabel();
  const me = useSession().me;
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{b("kind")}</label>
      <select
        id={id}
        name="kind"
        value={value}
        onChange={(event) => onChange((event.target as HTMLSelectElement).value as BatchKind)}
      >
        {kindsFor(me).map((kind) => (
          <option key={kind} value={kind}>
            {label(kind)}
          </option>
        ))}
      </select>
    </div>
  );
};

export const DateField = ({ value, onChange }: { value: string; onChange: (date: string) => void }) => {
  const b = useT(batchMessages);
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{b("date")}</label>
      <input
        id={id}
        type="date"
        name="date"
        value={value}
        onInput={(event) => onChange((event.target as HTMLInputElement).value)}
      />
    </div>
  );
};

/** The contract's 委託者コード, which a file's header must carry. */
const RequesterCode = ({ me }: { me: Me | null }) => {
  const b = useT(batchMessages);
  const code = me?.contract?.requesterCode ?? null;
  return (
    <dl class="facts">
      <dt>{b("requesterCode")}</dt>
      <dd data-testid="requester-code">{code ?? b("requesterCodeNone")}</dd>
    </dl>
  );
};

export const BatchUploadScreen = () => {
  const b = useT(batchMessages);
  const me = useSession().me;
  const accounts = useApiData<AccountList>("/accounts");
  const [accountId, setAccountId] = useState("");
  const [kind, setKind] = useState<BatchKind>("general");
  const [date, setDate] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  const upload = useBatchUpload();
  const fileId = useId();
  const hintId = useId();
  if (!accounts.data) return <Loading problem={accounts.problem} />;
  const chosenAccount = accountId || accounts.data.items[0]?.accountId || "";
  const submit = async (event: Event) => {
    event.preventDefault();
    const lacking = [
      ...(chosenAccount ? [] : [b("accountRequired")]),
      ...(date ? [] : [b("dateRequired")]),
      ...(file ? [] : [b("fileRequired")]),
    ];
    setMissing(lacking);
    if (lacking.length > 0 || !file) return;
    const created = await upload.send({ accountId: chosenAccount, kind, date }, file, mediaTypeOf(file));
    if (created) navigate(batchPath(created.batchId));
  };
  return (
    <div>
      <h1>{b("uploadTitle")}</h1>
      <p>{b("uploadLead")}</p>
      <RequesterCode me={me} />
      <form name="batch-upload" onSubmit={submit} noValidate>
        <AccountSelect
          accounts={accounts.data.items}
          value={chosenAccount}
          onChange={setAccountId}
          label={b("account")}
        />
        <KindSelect value={kind} onChange={setKind} />
        <DateField value={date} onChange={setDate} />
        <div class="field">
          <label for={fileId}>{b("file")}</label>
          <input
            id={fileId}
            type="file"
            name="file"
            accept=".txt,.dat,.csv,text/csv,text/plain,application/octet-stream"
            aria-describedby={hintId}
            onChange={(event) => {
              setFile((event.target as HTMLInputElement).files?.[0] ?? null);
              upload.clear();
            }}
          />
          <p class="hint" id={hintId}>
            {b("fileHint")}
          </p>
        </div>
        {missing.length > 0 ? (
          <div class="problem" role="alert" data-slug="validation">
            {missing.map((message) => (
              <p class="problem-message" key={message}>
                {message}
              </p>
            ))}
          </div>
        ) : null}
        <button type="submit" class="primary" disabled={upload.busy}>
          {upload.busy ? b("uploading") : b("upload")}
        </button>
      </form>
      <UploadProblem problem={upload.problem} />
    </div>
  );
};

/** A batch's facts: kind, date, count and total, status, who made it. */
export const BatchSummary = ({ batch, lang }: { batch: Batch; lang: Lang }) => {
  const b = useT(batchMessages);
  const t = useT(staffMessages);
  const kindLabel = useKindLabel();
  return (
    <dl class="facts" data-testid="batch-summary">
      <dt>{b("status")}</dt>
      <dd>
        <StatusBadge status={batch.status} />
      </dd>
      <dt>{b("kind")}</dt>
      <dd data-testid="batch-kind">{kindLabel(batch.kind)}</dd>
      <dt>{b("date")}</dt>
      <dd data-testid="batch-date">{formatDate(batch.date, lang)}</dd>
      <dt>{b("count")}</dt>
      <dd data-testid="batch-count">
        {b("countValue", { count: batch.count.toLocaleString(lang === "ja" ? "ja-JP" : "en-US") })}
      </dd>
      <dt>{b("total")}</dt>
      <dd data-testid="batch-total">{formatYen(batch.total, lang)}</dd>
      <dt>{b("batchId")}</dt>
      <dd>{batch.batchId}</dd>
      <dt>{b("created")}</dt>
      <dd>{withNote(actorLabel(batch.created, t("admin")), formatDateTime(batch.created.at, lang), lang)}</dd>
      {batch.status === "awaiting-signature" || batch.status === "awaiting-approval" ? (
        <>
          <dt>{b("deadline")}</dt>
          <dd>{formatDateTime(batch.deadline, lang)}</dd>
        </>
      ) : null}
    </dl>
  );
};

/** A batch's lines, as `GET /v1/batches/{id}/lines` pages them. */
export const BatchLines = ({ batchId, lang }: { batchId: string; lang: Lang }) => {
  const b = useT(batchMessages);
  const titleId = useId();
  const lines = usePagedApiData<BatchLine>(`${batchPath(batchId)}/lines?limit=50`);
  return (
    <section class="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>{b("linesTitle")}</h2>
      {lines.items === null ? (
        <Loading problem={lines.problem} />
      ) : (
        <div class="table-wrap">
          <table class="responsive" data-testid="batch-lines">
            <thead>
              <tr>
                <th scope="col">{b("line")}</th>
                <th scope="col">{b("payee")}</th>
                <th scope="col">{b("bank")}</th>
                <th scope="col">{b("branch")}</th>
                <th scope="col">{b("accountNumber")}</th>
                <th scope="col" class="amount">
                  {b("amount")}
                </th>
              </tr>
            </thead>
            <tbody>
              {lines.items.map((line) => (
                <tr key={line.line} data-line={line.line}>
                  <td data-label={b("line")}>{line.line}</td>
                  <td data-label={b("payee")}>{line.payeeName}</td>
                  <td data-label={b("bank")}>{`${line.bankName.trim()}（${line.bankCode}）`}</td>
                  <td data-label={b("branch")}>{`${line.branchName.trim()}（${line.branchCode}）`}</td>
                  <td data-label={b("accountNumber")}>{`${line.accountType}-${line.accountNumber}`}</td>
                  <td data-label={b("amount")} class="amount">
                    {formatYen(line.amount, lang)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {lines.items !== null ? <ProblemAlert problem={lines.problem} /> : null}
      {lines.hasMore ? (
        <button type="button" disabled={lines.loading} onClick={lines.more} data-testid="batch-lines-more">
          {b("more")}
        </button>
      ) : null}
    </section>
  );
};
