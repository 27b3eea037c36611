// Creating a transfer (振込), the flow's first two steps: 入力 (the account to pay from, the payee, the
// amount, the designated date) and 確認 (the whole transfer read back, bank and branch by name, before it
// is created). One Idempotency-Key is made per form (crypto.randomUUID) and sent again when the same
// submission is retried, so a retry after a lost answer never creates a second transfer; a changed form
// gets a new key. The payee is one of the payee book (named by its ID) or typed in (都度指定), its bank
// and branch chosen by name from the Zengin master.
import { useEffect, useId, useRef, useState } from "preact/hooks";
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
  noBank,
  PayeeFields,
  type PayeeFieldValues,
  type PayeeFieldWords,
  payeeFieldControls,
  payeeFieldsInvalid,
  payeeOfFields,
} from "./payee-fields.tsx";
import { payeeMessages } from "./payee-messages.ts";
import { TokenNeeded } from "./shared.tsx";
import { TransferFacts, type TransferFactsValue, TransferSteps } from "./transfer-flow.tsx";
import { transferFlowMessages } from "./transfer-flow-messages.ts";

interface Form extends PayeeFieldValues {
  fromAccountId: string;
  amount: string;
  /** 振込指定日, YYYY-MM-DD; empty: executed once authorised. */
  executionDate: string;
}

/** The fields a refusal can name (the bank's and branch's names are shown, not typed). */
type FormField = Exclude<keyof Form, "bankName" | "branchName">;

const empty: Form = {
  fromAccountId: "",
  ...noBank,
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
  const f = useT(transferFlowMessages);
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
  const [step, setStep] = useState<"input" | "confirm">("input");
  const reviewRef = useRef<HTMLHeadingElement>(null);
  // The review takes the focus when it opens: the reader's next step is to read it.
  useEffect(() => {
    if (step === "confirm") reviewRef.current?.focus();
  }, [step]);
  const fromAccountId = form.fromAccountId || accounts.data?.items[0]?.accountId || "";
  // Until the accounts are read, the form does not know what it pays from: it is not sent before then.
  const accountsLoading = me?.permissions.includes("accounts:view") === true && accounts.loading;
  const words: PayeeFieldWords = {
    bankCode: p("bankCode"),
    branchCode: p("branchCode"),
    accountType: t("payeeAccountType"),
    accountNumber: t("payeeAccountNumber"),
    accountNumberHint: t("payeeAccountNumberHint"),
    name: t("payeeName"),
    nameHint: t("payeeNameHint"),
    ordinary: t("ordinary"),
    checking: t("checking"),
    digits: (field, count) => t("digitsInvalid", { field, count }),
    nameRequired: t("payeeNameRequired"),
    bankRequired: p("bankRequired"),
    branchRequired: p("branchRequired"),
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
  } as const satisfies Record<FormField, { control: string; label: string }>;
  const fault = (field: FormField, message: string, named = true): FieldError => ({
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
  const apiFields: Readonly<Record<string, FormField>> = {
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
  /** The body the form stands for, as `POST /v1/transfers` takes it. */
  const bodyOf = () => {
    const amount = parseYen(form.amount) ?? 0;
    const date = form.executionDate ? { executionDate: form.executionDate } : {};
    return payeeId
      ? { fromAccountId, payeeId, amount, ...date }
      : { fromAccountId, payee: payeeOfFields(form), amount, ...date };
  };
  // 入力 → 確認: checked here, every field at once; nothing is sent yet.
  const review = (event: Event) => {
    event.preventDefault();
    if (accountsLoading) return;
    const found = check();
    setInvalid(found);
    setProblem(null);
    if (found.length > 0) return;
    setForm({ ...form, name: payeeOfFields(form).name });
    setStep("confirm");
  };
  // 確認 → created: sent, then the transaction authentication; a refusal goes back to the fields.
  const create = async () => {
    if (busy) return;
    const body = bodyOf();
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
      setStep("input");
    }
  };
  const r = useT(fieldRuleMessages);
  const explainRule = (rule: string) => (isFieldRule(rule) ? r(rule) : r("type"));
  const errorOf = (field: FormField) =>
    invalid.find((error) => error.field === fields[field].control)?.message;
  const from = accounts.data?.items.find((account) => account.accountId === fromAccountId);
  const bookPayee = book.data?.items.find((payee) => payee.payeeId === payeeId);
  /** The transfer as the review reads it back: the book's payee, or the one typed in, by name. */
  const facts: TransferFactsValue = {
    from: from ? `${from.name} ${from.branchCode}-${from.accountNumber}` : fromAccountId,
    ...(payeeId && bookPayee
      ? {
          bankCode: bookPayee.bankCode,
          bankName: bookPayee.bankName,
          branchCode: bookPayee.branchCode,
          branchName: bookPayee.branchName,
          accountType: bookPayee.accountType,
          accountNumber: bookPayee.accountNumber,
          name: bookPayee.name,
        }
      : {
          bankCode: form.bankCode,
          bankName: form.bankName || null,
          branchCode: form.branchCode,
          branchName: form.branchName || null,
          accountType: form.accountType,
          accountNumber: payeeOfFields(form).accountNumber,
          name: form.name,
        }),
    amount: parseYen(form.amount) ?? 0,
    executionDate: form.executionDate || null,
  };
  return (
    <div>
      <h1>{t("newTransferTitle")}</h1>
      <TransferSteps current={step} />
      {step === "confirm" ? (
        <section class="panel review" aria-labelledby={`${formId}-review`} data-testid="transfer-review">
          <h2 id={`${formId}-review`} ref={reviewRef} tabIndex={-1}>
            {f("confirmTitle")}
          </h2>
          <p>{f("confirmLead")}</p>
          <TransferFacts value={facts} testId="review-facts" />
          <form
            name="confirm-transfer"
            onSubmit={(event) => {
              event.preventDefault();
              void create();
            }}
          >
            <div class="actions">
              <button type="submit" class="primary" disabled={busy}>
                {busy ? t("sending") : f("createConfirmed")}
              </button>
              <button type="button" disabled={busy} onClick={() => setStep("input")}>
                {f("backToInput")}
              </button>
            </div>
          </form>
        </section>
      ) : (
        <>
          <p>{t("newTransferLead")}</p>
          <TokenNeeded me={me} />
          {nobodyElseApproves ? (
            <div class="notice warning" role="note" data-testid="no-other-approver">
              <p>{t("noOtherApprover")}</p>
              <a href="#/users">{t("grantApprove")}</a>
            </div>
          ) : null}
          <form
            onSubmit={review}
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
              <PayeeFields
                values={form}
                words={words}
                formId={formId}
                set={set}
                setBank={(choice) => setForm({ ...form, ...choice })}
                errorOf={errorOf}
              />
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
            <button type="submit" class="primary" disabled={accountsLoading}>
              {f("toConfirm")}
            </button>
          </form>
        </>
      )}
    </div>
  );
};
