// A batch built from a group of the payee book: the group's payees a transfer may go to, an amount for
// each (full-width digits, separators and 円 taken as elsewhere), a review, then the batch sent as the
// documented CSV (`POST /v1/batches`, `text/csv`, the data record's field names as columns) — so the API
// checks it by the same rules as an uploaded file.
import { useId, useState } from "preact/hooks";
import type { AccountList, PayeeEntry, PayeeGroups } from "../api.ts";
import { toCsv } from "../components/csv.ts";
import { formatDate, formatYen, parseYen } from "../components/format.ts";
import { useApiData } from "../components/use-api-data.ts";
import { useLang, useT } from "../i18n/index.ts";
import { navigate } from "../router.ts";
import { batchGroupMessages, batchMessages } from "./batch-messages.ts";
import {
  AccountSelect,
  type BatchKind,
  batchPath,
  DateField,
  KindSelect,
  UploadProblem,
  useBatchUpload,
  useKindLabel,
} from "./batches.tsx";
import { Loading } from "./shared.tsx";

/** The CSV's 預金種目 for the book's account types. */
const zenginAccountType = (type: PayeeEntry["accountType"]): string => (type === "checking" ? "2" : "1");

/** The batch as the documented CSV: one line per payee with an amount. */
export const batchCsv = (lines: readonly { payee: PayeeEntry; amount: number }[]): string =>
  toCsv([
    ["bankCode", "branchCode", "accountType", "accountNumber", "payeeName", "amount"],
    ...lines.map(({ payee, amount }) => [
      payee.bankCode,
      payee.branchCode,
      zenginAccountType(payee.accountType),
      payee.accountNumber,
      payee.name,
      String(amount),
    ]),
  ]);

interface PayeePage {
  readonly items: PayeeEntry[];
}

export const BatchFromGroupScreen = () => {
  const b = useT(batchMessages);
  const g = useT(batchGroupMessages);
  const lang = useLang();
  const kindLabel = useKindLabel();
  const accounts = useApiData<AccountList>("/accounts");
  const groups = useApiData<PayeeGroups>("/payee-groups");
  const [group, setGroup] = useState("");
  const chosenGroup = group || groups.data?.items[0]?.name || "";
  const payees = useApiData<PayeePage>(
    chosenGroup ? `/payees?group=${encodeURIComponent(chosenGroup)}&limit=100` : null,
  );
  const [accountId, setAccountId] = useState("");
  const [kind, setKind] = useState<BatchKind>("general");
  const [date, setDate] = useState("");
  const [amounts, setAmounts] = useState<Record<string, string>>({});
  const [faults, setFaults] = useState<string[]>([]);
  const [step, setStep] = useState<"input" | "review">("input");
  const upload = useBatchUpload();
  const groupId = useId();
  const captionId = useId();
  const reviewId = useId();
  if (!accounts.data || !groups.data) return <Loading problem={accounts.problem ?? groups.problem} />;
  const chosenAccount = accountId || accounts.data.items[0]?.accountId || "";
  const usable = (payees.data?.items ?? []).filter((payee) => payee.status === "active" && payee.usable);
  const entered = usable
    .map((payee) => ({ payee, typed: (amounts[payee.payeeId] ?? "").trim() }))
    .filter(({ typed }) => typed !== "");
  const lines = entered.map(({ payee, typed }) => ({ payee, amount: parseYen(typed) ?? 0 }));
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  const review = (event: Event) => {
    event.preventDefault();
    const found = [
      ...(chosenAccount ? [] : [b("accountRequired")]),
      ...(date ? [] : [b("dateRequired")]),
      ...(entered.length === 0 ? [g("noneEntered")] : []),
      ...lines
        .filter((line) => line.amount <= 0)
        .map((line) => `${line.payee.nickname ?? line.payee.name}: ${g("amountInvalid")}`),
    ];
    setFaults(found);
    upload.clear();
    if (found.length === 0) setStep("review");
  };
  const create = async () => {
    const csv = new Blob([batchCsv(lines)], { type: "text/csv" });
    const created = await upload.send({ accountId: chosenAccount, kind, date }, csv, "text/csv");
    if (created) navigate(batchPath(created.batchId));
  };
  const from = accounts.data.items.find((account) => account.accountId === chosenAccount);
  return (
    <div>
      <h1>{g("title")}</h1>
      {step === "input" ? (
        <>
          <p>{g("lead")}</p>
          <p class="hint">{g("orUpload")}</p>
          {groups.data.items.length === 0 ? (
            <p data-testid="no-groups">{g("noGroups")}</p>
          ) : (
            <form name="batch-from-group" onSubmit={review} noValidate>
              <div class="field">
                <label for={groupId}>{g("group")}</label>
                <select
                  id={groupId}
                  name="group"
                  value={chosenGroup}
                  onChange={(event) => {
                    setGroup((event.target as HTMLSelectElement).value);
                    setAmounts({});
                  }}
                >
                  {groups.data.items.map((item) => (
                    <option key={item.name} value={item.name}>
                      {`${item.name}（${item.payees}）`}
                    </option>
                  ))}
                </select>
              </div>
              <AccountSelect
                accounts={accounts.data.items}
                value={chosenAccount}
                onChange={setAccountId}
                label={b("account")}
              />
              <KindSelect value={kind} onChange={setKind} />
              <DateField value={date} onChange={setDate} />
              {payees.data === null ? (
                <Loading problem={payees.problem} />
              ) : usable.length === 0 ? (
                <p data-testid="no-payees">{g("noPayees")}</p>
              ) : (
                <div class="table-wrap">
                  <table class="responsive" data-testid="group-payees" aria-labelledby={captionId}>
                    <caption id={captionId}>{g("payeesCaption")}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{b("payee")}</th>
                        <th scope="col">{b("bank")}</th>
                        <th scope="col">{b("accountNumber")}</th>
                        <th scope="col">{b("amount")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {usable.map((payee) => (
                        <tr key={payee.payeeId} data-payee={payee.payeeId}>
                          <td data-label={b("payee")}>{payee.nickname ?? payee.name}</td>
                          <td data-label={b("bank")}>{`${payee.bankName} ${payee.branchName}`}</td>
                          <td data-label={b("accountNumber")}>{payee.accountNumber}</td>
                          <td data-label={b("amount")}>
                            <input
                              type="text"
                              inputMode="numeric"
                              name={`amount-${payee.payeeId}`}
                              aria-label={g("amountFor", { name: payee.nickname ?? payee.name })}
                              value={amounts[payee.payeeId] ?? ""}
                              onInput={(event) =>
                                setAmounts({
                                  ...amounts,
                                  [payee.payeeId]: (event.target as HTMLInputElement).value,
                                })
                              }
                            />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              {faults.length > 0 ? (
                <div class="problem" role="alert" data-slug="validation" data-testid="group-faults">
                  {faults.map((fault) => (
                    <p class="problem-message" key={fault}>
                      {fault}
                    </p>
                  ))}
                </div>
              ) : null}
              <button type="submit" class="primary">
                {g("review")}
              </button>
            </form>
          )}
        </>
      ) : (
        <section class="panel" aria-labelledby={reviewId} data-testid="group-review">
          <h2 id={reviewId}>{g("reviewTitle")}</h2>
          <p>{g("reviewLead")}</p>
          <dl class="facts">
            <dt>{b("account")}</dt>
            <dd>{from ? `${from.name} ${from.branchCode}-${from.accountNumber}` : chosenAccount}</dd>
            <dt>{b("kind")}</dt>
            <dd>{kindLabel(kind)}</dd>
            <dt>{b("date")}</dt>
            <dd data-testid="review-date">{formatDate(date, lang)}</dd>
            <dt>{b("count")}</dt>
            <dd data-testid="review-count">{b("countValue", { count: lines.length })}</dd>
            <dt>{b("total")}</dt>
            <dd data-testid="review-total">{formatYen(total, lang)}</dd>
          </dl>
          <div class="table-wrap">
            <table class="responsive" data-testid="review-lines">
              <thead>
                <tr>
                  <th scope="col">{b("line")}</th>
                  <th scope="col">{b("payee")}</th>
                  <th scope="col" class="amount">
                    {b("amount")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {lines.map((line, index) => (
                  <tr key={line.payee.payeeId}>
                    <td data-label={b("line")}>{index + 1}</td>
                    <td data-label={b("payee")}>{line.payee.nickname ?? line.payee.name}</td>
                    <td data-label={b("amount")} class="amount">
                      {formatYen(line.amount, lang)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="actions">
            <button type="button" onClick={() => setStep("input")}>
              {g("backToInput")}
            </button>
            <button type="button" class="primary" disabled={upload.busy} onClick={create}>
              {upload.busy ? b("uploading") : g("create")}
            </button>
          </div>
          <UploadProblem
            problem={upload.problem}
            lineLabel={(line) => {
              // The CSV's first line names the columns: its line n is the review's payment n - 1.
              const payee = lines[line - 2]?.payee;
              return payee
                ? g("faultLine", { line: line - 1, name: payee.nickname ?? payee.name })
                : String(line);
            }}
          />
        </section>
      )}
    </div>
  );
};
