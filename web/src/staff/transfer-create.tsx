// Creating a transfer (振込): the account to pay from, the payee in the Zengin form, the amount. One
// Idempotency-Key is made per form (crypto.randomUUID) and sent again when the same submission is
// retried, so a retry after a lost answer never creates a second transfer; a changed form gets a new key.
// The payee is one of the payee book (named by its ID) or typed in (都度指定).
import { useId, useRef, useState } from "preact/hooks";
import {
  type AccountList,
  api,
  type CreatedTransfer,
  type Me,
  type PayeeEntry,
  type ProblemDetails,
  type UserList,
} from "../api.ts";
import { ErrorSummary, type FieldError } from "../components/form-errors.tsx";
import { formatYen, parseYen } from "../components/format.ts";
import { ProblemAlert } from "../components/problem-alert.tsx";
import { TextField } from "../components/text-field.tsx";
import { useApiData } from "../components/use-api-data.ts";
import { fieldRuleMessages, isFieldRule } from "../i18n/common.ts";
import { useLang, useT, withNote } from "../i18n/index.ts";
import { navigate } from "../router.ts";
import { handleSessionProblem, useSession } from "../session.ts";
import { staffMessages } from "./messages.ts";
import {
  PayeeFields,
  type PayeeFieldValues,
  type PayeeFieldWords,
  payeeFieldControls,
  payeeFieldsInvalid,
  payeeOfFields,
} from "./payee-fields.tsx";
import { payeeMessages } from "./payee-messages.ts";
import { TokenNeeded } from "./shared.tsx";

interface Form extends PayeeFieldValues {
  fromAccountId: string;
  amount: string;
  /** 振込指定日, YYYY-MM-DD; empty: executed once authorised. */
  executionDate: string;
}

const empty: Form = {
  fromAccountId: "",
  bankCode: "",
  branchCode: "",
  accountType: "ordinary",
  accountNumber: "",
  name: "",
  amount: "",
  executionDate: "",
};

/**
 * Who else could approve what this principal creates (design §5: never the creator). The administrator holds
 * every permission, so a user's transfer always has it; the administrator's own needs an active user holding
 * `transfers:approve`, which only the administrator can see (and grant).
 */
const useNobodyElseApproves = (me: Me | null): boolean => {
  const mustApprove = me?.role === "admin" && me.contract.approvalRequired;
  const users = useApiData<UserList>(mustApprove ? "/users" : null);
  return (
    mustApprove &&
    users.data !== null &&
    !users.data.items.some(
      (user) => user.status === "active" && user.permissions.includes("transfers:approve"),
    )
  );
};

export const NewTransferScreen = ({ params }: { params?: Record<string, string> }) => {
  const t = useT(staffMessages);
  const p = useT(payeeMessages);
  const lang = useLang();
  const me = useSession().me;
  const formId = useId();
  const errorId = `${formId}-problem`;
  const accounts = useApiData<AccountList>(me?.permissions.includes("accounts:view") ? "/accounts" : null);
  const [form, setForm] = useState<Form>(empty);
  const book = useApiData<{ items: PayeeEntry[] }>(
    me?.permissions.includes("transfers:create") ? "/payees?limit=100" : null,
  );
  const [payeeId, setPayeeId] = useState(params?.payeeId ?? "");
  const nobodyElseApproves = useNobodyElseApproves(me);
  const [invalid, setInvalid] = useState<readonly FieldError[]>([]);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [busy, setBusy] = useState(false);
  // The key and the body it was first sent with: the same body is the same submission.
  const attempt = useRef<{ key: string; body: string } | null>(null);
  const set = (field: keyof Form) => (value: string) => setForm({ ...form, [field]: value });
  const fromAccountId = form.fromAccountId || accounts.data?.items[0]?.accountId || "";
  // Until the accounts are read, the form does not know what it pays from: it is not sent before then.
  const accountsLoading = me?.permissions.includes("accounts:view") === true && accounts.loading;
  const words: PayeeFieldWords = {
    bankCode: t("bankCode"),
    branchCode: t("payeeBranchCode"),
    accountType: t("payeeAccountType"),
    accountNumber: t("payeeAccountNumber"),
    accountNumberHint: t("payeeAccountNumberHint"),
    name: t("payeeName"),
    nameHint: t("payeeNameHint"),
    ordinary: t("ordinary"),
    checking: t("checking"),
    digits: (field, count) => t("digitsInvalid", { field, count }),
    nameRequired: t("payeeNameRequired"),
    nameInvalid: (chars) => t("payeeNameInvalid", { chars }),
  };
  /** The form's fields by the control's name, with their labels: the error summary's links go to them. */
  const fields = {
    fromAccountId: { control: "fromAccountId", label: t("fromAccount") },
    bankCode: { control: payeeFieldControls.bankCode, label: words.bankCode },
    branchCode: { control: payeeFieldControls.branchCode, label: words.branchCode },
    accountType: { control: payeeFieldControls.accountType, label: words.accountType },
    accountNumber: { control: payeeFieldControls.accountNumber, label: words.accountNumber },
    name: { control: payeeFieldControls.name, label: words.name },
    amount: { control: "amount", label: t("amount") },
    executionDate: { control: "executionDate", label: t("executionDate") },
  } as const satisfies Record<keyof Form, { control: string; label: string }>;
  const fault = (field: keyof Form, message: string, named = true): FieldError => ({
    named,
    ...fields[field],
    field: fields[field].control,
    message,
  });
  // Every field at fault at once, not the first alone.
  const check = (): FieldError[] => {
    const from = fromAccountId ? [] : [fault("fromAccountId", t("fromAccountRequired"))];
    const amount = (parseYen(form.amount) ?? 0) > 0 ? [] : [fault("amount", t("amountInvalid"))];
    // A payee of the book is named by its ID: only the account and the amount are the form's own.
    const payee = payeeId
      ? []
      : payeeFieldsInvalid(form, words).map((error) => fault(error.field, error.message));
    return [...from, ...payee, ...amount];
  };
  /** The API's field names (`errors[].field`) as this form's fields. */
  const apiFields: Readonly<Record<string, keyof Form>> = {
    fromAccountId: "fromAccountId",
    "payee.bankCode": "bankCode",
    "payee.branchCode": "branchCode",
    "payee.accountType": "accountType",
    "payee.accountNumber": "accountNumber",
    "payee.name": "name",
    amount: "amount",
    executionDate: "executionDate",
  };
  const fieldLabels = Object.fromEntries(
    Object.entries(apiFields).map(([api, field]) => [api, fields[field].label]),
  );
  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy || accountsLoading) return;
    const found = check();
    setInvalid(found);
    if (found.length > 0) return;
    const payee = payeeOfFields(form);
    setForm({ ...form, name: payee.name });
    const amount = parseYen(form.amount) ?? 0;
    const date = form.executionDate ? { executionDate: form.executionDate } : {};
    const body = payeeId
      ? { fromAccountId, payeeId, amount, ...date }
      : {
          fromAccountId,
          payee,
          amount,
          ...date,
        };
    const json = JSON.stringify(body);
    if (attempt.current?.body !== json) attempt.current = { key: crypto.randomUUID(), body: json };
    setBusy(true);
    setProblem(null);
    const answer = await api.post<CreatedTransfer>("/transfers", body, {
      headers: { "Idempotency-Key": attempt.current.key },
    });
    setBusy(false);
    if (answer.ok) navigate(`/transfers/${encodeURIComponent(answer.data.transferId)}/sign`);
    else if (!handleSessionProblem(answer.problem)) {
      // The fields the API refused are marked beside themselves, as the form's own check marks them.
      const refused = (answer.problem.errors ?? []).flatMap((error) => {
        const field = apiFields[error.field];
        return field ? [fault(field, explainRule(error.rule), false)] : [];
      });
      setInvalid(refused);
      setProblem(answer.problem);
    }
  };
  const r = useT(fieldRuleMessages);
  const explainRule = (rule: string) => (isFieldRule(rule) ? r(rule) : r("type"));
  const errorOf = (field: keyof Form) =>
    invalid.find((error) => error.field === fields[field].control)?.message;
  return (
    <div>
      <h1>{t("newTransferTitle")}</h1>
      <p>{t("newTransferLead")}</p>
      <TokenNeeded me={me} />
      {nobodyElseApproves ? (
        <div class="notice warning" role="note" data-testid="no-other-approver">
          <p>{t("noOtherApprover")}</p>
          <a href="#/users">{t("grantApprove")}</a>
        </div>
      ) : null}
      <form
        onSubmit={submit}
        name="new-transfer"
        aria-describedby={invalid.length > 0 || problem ? errorId : undefined}
        noValidate
      >
        {accountsLoading ? (
          <p class="loading" data-testid="accounts-loading">
            {t("loading")}
          </p>
        ) : accounts.data && accounts.data.items.length > 0 ? (
          <div class="field">
            <label for={`${formId}-from`}>{t("fromAccount")}</label>
            <select
              id={`${formId}-from`}
              name="fromAccountId"
              value={fromAccountId}
              onChange={(event) => set("fromAccountId")((event.target as HTMLSelectElement).value)}
            >
              {accounts.data.items.map((account) => (
                <option key={account.accountId} value={account.accountId}>
                  {withNote(
                    `${account.name} ${account.accountNumber}`,
                    formatYen(account.balance, lang),
                    lang,
                  )}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <TextField
            label={t("accountIdManual")}
            hint={me?.permissions.includes("accounts:view") ? undefined : t("accountsUnavailable")}
            name="fromAccountId"
            value={form.fromAccountId}
            onInput={set("fromAccountId")}
          />
        )}
        {book.data?.items.some((payee) => payee.status === "active") ? (
          <div class="field">
            <label for={`${formId}-book`}>{p("fromBook")}</label>
            <select
              id={`${formId}-book`}
              name="payeeId"
              value={payeeId}
              onChange={(event) => setPayeeId((event.target as HTMLSelectElement).value)}
            >
              <option value="">{p("adHoc")}</option>
              {book.data.items
                .filter((payee) => payee.status === "active")
                .map((payee) => (
                  <option key={payee.payeeId} value={payee.payeeId}>
                    {`${payee.nickname ?? payee.name}（${payee.bankName} ${payee.branchName} ${payee.accountNumber}）`}
                  </option>
                ))}
            </select>
          </div>
        ) : null}
        <fieldset hidden={payeeId !== ""}>
          <legend>{t("payee")}</legend>
          <PayeeFields values={form} words={words} formId={formId} set={set} errorOf={errorOf} />
        </fieldset>
        <TextField
          label={t("amount")}
          hint={
            me?.limits
              ? t("amountHint", {
                  perTransfer: formatYen(me.limits.perTransfer, lang),
                  daily: formatYen(me.limits.daily, lang),
                })
              : undefined
          }
          name="amount"
          inputMode="numeric"
          maxLength={16}
          size={18}
          value={form.amount}
          onInput={set("amount")}
          error={errorOf("amount")}
        />
        <TextField
          label={t("executionDate")}
          hint={t("executionDateHint")}
          name="executionDate"
          type="date"
          required={false}
          value={form.executionDate}
          onInput={set("executionDate")}
          error={errorOf("executionDate")}
        />
        {problem ? (
          <ProblemAlert problem={problem} id={errorId} fieldLabels={fieldLabels} />
        ) : (
          <ErrorSummary errors={invalid} id={errorId} />
        )}
        <button type="submit" class="primary" disabled={busy || accountsLoading}>
          {busy ? t("sending") : t("create")}
        </button>
      </form>
    </div>
  );
};
