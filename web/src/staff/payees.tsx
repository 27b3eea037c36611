// The payee book (登録振込先, design §10): the list with its group filter, registering a payee, and
// confirming a registration or change with the confirmation PIN and a transaction code over the payee's
// details, shown exactly as the token app shows them.
import { useId, useState } from "preact/hooks";
import {
  api,
  type PayeeAwaitingConfirmation,
  type PayeeEntry,
  type PayeeGroups,
  type ProblemDetails,
} from "../api.ts";
import { ErrorSummary, type FieldError } from "../components/form-errors.tsx";
import { ProblemAlert } from "../components/problem-alert.tsx";
import { TextField } from "../components/text-field.tsx";
import { PayeeSimulatorHint } from "../components/token-simulator.tsx";
import { useApiData, usePagedApiData } from "../components/use-api-data.ts";
import { useT } from "../i18n/index.ts";
import { navigate } from "../router.ts";
import { handleSessionProblem, useSession } from "../session.ts";
import {
  noBank,
  type PayeeField,
  PayeeFields,
  type PayeeFieldValues,
  type PayeeFieldWords,
  payeeFieldControls,
  payeeFieldsInvalid,
  payeeOfFields,
} from "./payee-fields.tsx";
import { payeeMessages } from "./payee-messages.ts";
import { holds, Loading, QuestionWithCode, TokenNeeded } from "./shared.tsx";
import { CodeForm } from "./transfers.tsx";

export const payeePath = (payeeId: string) => `/payees/${encodeURIComponent(payeeId)}`;

const StatusCell = ({ payee }: { payee: PayeeEntry }) => {
  const t = useT(payeeMessages);
  if (payee.status === "awaiting-confirmation")
    return <span class="status status-awaiting-signature">{t("statusAwaiting")}</span>;
  return payee.usable ? (
    <span class="status status-executed">{t("statusActive")}</span>
  ) : (
    <span class="status status-awaiting-approval">
      {t("statusCooling", { date: payee.usableFrom ?? "—" })}
    </span>
  );
};

export const PayeesScreen = () => {
  const t = useT(payeeMessages);
  const me = useSession().me;
  const filterId = useId();
  const [group, setGroup] = useState("");
  const groups = useApiData<PayeeGroups>("/payee-groups");
  const list = usePagedApiData<PayeeEntry>(
    `/payees?limit=20${group ? `&group=${encodeURIComponent(group)}` : ""}`,
  );
  const manages = me ? holds(me, "payees:manage") : false;
  const creates = me ? holds(me, "transfers:create") : false;
  return (
    <div>
      <h1>{t("payeesTitle")}</h1>
      <p>{t("payeesLead")}</p>
      {manages ? (
        <p>
          <a href="#/payees/new" class="button">
            {t("register")}
          </a>
        </p>
      ) : null}
      <div class="field">
        <label for={filterId}>{t("group")}</label>
        <select
          id={filterId}
          name="group"
          value={group}
          onChange={(event) => setGroup((event.target as HTMLSelectElement).value)}
        >
          <option value="">{t("allGroups")}</option>
          {(groups.data?.items ?? []).map((item) => (
            <option key={item.name} value={item.name}>{`${item.name}（${item.payees}）`}</option>
          ))}
        </select>
      </div>
      {list.items === null ? (
        <Loading problem={list.problem} />
      ) : list.items.length === 0 ? (
        <p>{t("noPayees")}</p>
      ) : (
        <div class="table-wrap">
          <table class="responsive" data-testid="payees">
            <thead>
              <tr>
                <th scope="col">{t("payeeName")}</th>
                <th scope="col">{t("nickname")}</th>
                <th scope="col">{t("bank")}</th>
                <th scope="col">{t("account")}</th>
                <th scope="col">{t("group")}</th>
                <th scope="col">{t("status")}</th>
                <th scope="col">
                  <span class="visually-hidden">{t("transfer")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((payee) => (
                <tr key={payee.payeeId} data-payee-id={payee.payeeId}>
                  <td data-label={t("payeeName")}>{payee.name}</td>
                  <td data-label={t("nickname")}>{payee.nickname ?? "—"}</td>
                  <td data-label={t("bank")}>
                    {`${payee.bankName}（${payee.bankCode}） ${payee.branchName}（${payee.branchCode}）`}
                  </td>
                  <td data-label={t("account")}>
                    {`${payee.accountType === "checking" ? t("checking") : t("ordinary")} ${payee.accountNumber}`}
                  </td>
                  <td data-label={t("group")}>{payee.groups.join("、") || "—"}</td>
                  <td data-label={t("status")}>
                    <StatusCell payee={payee} />
                  </td>
                  <td>
                    {payee.challenge && manages ? (
                      <a href={`#${payeePath(payee.payeeId)}/confirm`}>{t("confirm")}</a>
                    ) : payee.status === "active" && creates ? (
                      <a href={`#${payeePath(payee.payeeId)}/transfer`}>{t("transfer")}</a>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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

interface PayeeForm extends PayeeFieldValues {
  nickname: string;
  groups: string;
}

const emptyForm: PayeeForm = {
  ...noBank,
  accountType: "ordinary",
  accountNumber: "",
  name: "",
  nickname: "",
  groups: "",
};

export const NewPayeeScreen = () => {
  const t = useT(payeeMessages);
  const formId = useId();
  const errorId = `${formId}-problem`;
  const [form, setForm] = useState<PayeeForm>(emptyForm);
  const [invalid, setInvalid] = useState<readonly FieldError[]>([]);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (field: keyof PayeeForm) => (value: string) => setForm({ ...form, [field]: value });
  const words: PayeeFieldWords = {
    bankCode: t("bankCode"),
    branchCode: t("branchCode"),
    accountType: t("accountType"),
    accountNumber: t("accountNumber"),
    name: t("payeeName"),
    ordinary: t("ordinary"),
    checking: t("checking"),
    digits: (field, count) => t("digitsInvalid", { field, count }),
    nameRequired: t("nameRequired"),
    bankRequired: t("bankRequired"),
    branchRequired: t("branchRequired"),
    nameInvalid: (chars) => t("nameInvalid", { chars }),
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    // Every field at fault at once, each beside its field and in the summary.
    const found = payeeFieldsInvalid(form, words).map(
      (error): FieldError => ({
        field: payeeFieldControls[error.field],
        label: words[error.field],
        message: error.message,
        named: true,
      }),
    );
    setInvalid(found);
    if (found.length > 0) return;
    const groups = form.groups
      .split(/[,、，]/)
      .map((group) => group.trim())
      .filter((group) => group !== "");
    const body = {
      ...payeeOfFields(form),
      ...(form.nickname.trim() ? { nickname: form.nickname.trim() } : {}),
      ...(groups.length > 0 ? { groups } : {}),
    };
    setBusy(true);
    setProblem(null);
    const answer = await api.post<PayeeAwaitingConfirmation>("/payees", body);
    setBusy(false);
    if (answer.ok) navigate(`${payeePath(answer.data.payeeId)}/confirm`);
    else if (!handleSessionProblem(answer.problem)) setProblem(answer.problem);
  };
  const errorOf = (field: PayeeField) =>
    invalid.find((error) => error.field === payeeFieldControls[field])?.message;
  return (
    <div>
      <h1>{t("newPayeeTitle")}</h1>
      <p>{t("newPayeeLead")}</p>
      <form
        onSubmit={submit}
        name="new-payee"
        aria-describedby={invalid.length > 0 || problem ? errorId : undefined}
        noValidate
      >
        <PayeeFields
          values={form}
          words={words}
          formId={formId}
          set={set}
          setBank={(choice) => setForm({ ...form, ...choice })}
          errorOf={errorOf}
        />
        <TextField
          label={t("nickname")}
          hint={t("nicknameHint")}
          name="nickname"
          maxLength={30}
          required={false}
          value={form.nickname}
          onInput={set("nickname")}
        />
        <TextField
          label={t("groups")}
          hint={t("groupsHint")}
          name="groups"
          maxLength={230}
          required={false}
          value={form.groups}
          onInput={set("groups")}
        />
        {problem ? (
          <ProblemAlert problem={problem} id={errorId} />
        ) : (
          <ErrorSummary errors={invalid} id={errorId} />
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t("sending") : t("next")}
        </button>
      </form>
    </div>
  );
};

/** The payee exactly as the token app shows it before confirming, with the question it signs. */
const PayeeChallengeView = ({ payee }: { payee: PayeeEntry }) => {
  const t = useT(payeeMessages);
  const challenge = payee.challenge;
  if (!challenge) return null;
  const shown = challenge.payee;
  return (
    <section class="challenge" aria-labelledby="payee-challenge-title" data-testid="challenge">
      <h2 id="payee-challenge-title">{t("tokenShows")}</h2>
      <dl class="facts">
        <dt>{t("payeeName")}</dt>
        <dd data-testid="challenge-payee">{shown.name.normalize("NFC")}</dd>
        <dt>{t("bank")}</dt>
        <dd>{`${shown.bankName}（${shown.bankKana}） ${shown.bankCode}`}</dd>
        <dt>{t("branch")}</dt>
        <dd>{`${shown.branchName}（${shown.branchKana}） ${shown.branchCode}`}</dd>
        <dt>{t("account")}</dt>
        <dd data-testid="challenge-account">
          {`${shown.accountType === "checking" ? t("checking") : t("ordinary")} ${shown.accountNumber}`}
        </dd>
        <dt>{t("payeeId")}</dt>
        <dd>{`${challenge.payeeId}（${t("revision")} ${challenge.revision}）`}</dd>
        <dt>{t("question")}</dt>
        <dd>
          <QuestionWithCode question={challenge.question} />
        </dd>
      </dl>
      <PayeeSimulatorHint
        payeeId={challenge.payeeId}
        revision={challenge.revision}
        question={challenge.question}
        payee={shown}
      />
    </section>
  );
};

export const ConfirmPayeeScreen = ({ params }: { params: Record<string, string> }) => {
  const t = useT(payeeMessages);
  const me = useSession().me;
  const id = params.payeeId ?? "";
  const { data, problem: loadProblem } = useApiData<PayeeEntry>(payeePath(id));
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmed, setConfirmed] = useState<PayeeEntry | null>(null);
  if (!data) return <Loading problem={loadProblem} />;
  return (
    <div>
      <h1>{t("confirmTitle")}</h1>
      {confirmed ? (
        <div class="notice" role="status" data-testid="action-done">
          <p>{t("confirmed", { date: confirmed.usableFrom ?? "—" })}</p>
          <p>
            <a href="#/payees">{t("toList")}</a>
          </p>
        </div>
      ) : !data.challenge ? (
        <p class="notice warning">{t("nothingToConfirm")}</p>
      ) : (
        <>
          <TokenNeeded me={me} />
          <p>{t("confirmLead")}</p>
          <PayeeChallengeView payee={data} />
          <CodeForm
            name="confirm-payee"
            submitLabel={t("confirmButton")}
            problem={problem}
            busy={busy}
            onSubmit={async (confirmationPin, code) => {
              setBusy(true);
              setProblem(null);
              const answer = await api.post<PayeeEntry>(`${payeePath(id)}/confirm`, {
                confirmationPin,
                code,
              });
              setBusy(false);
              if (answer.ok) setConfirmed(answer.data);
              else if (!handleSessionProblem(answer.problem)) setProblem(answer.problem);
            }}
          />
        </>
      )}
      <p>
        <a href="#/payees">{t("toList")}</a>
      </p>
    </div>
  );
};
