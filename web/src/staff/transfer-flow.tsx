// What a transfer's steps share (入力 → 確認 → 取引認証 → 完了): where the reader is, the transfer's facts
// as the review and the receipt show them, the payee and amount in large type beside the question, and the
// receipt to print.
import type { Transfer } from "../api.ts";
import { formatDate, formatDateTime, formatYen } from "../components/format.ts";
import { type Lang, useLang, useT } from "../i18n/index.ts";
import { useBankNames } from "./bank-picker.tsx";
import { staffMessages } from "./messages.ts";
import { accountTypeLabel, StatusBadge } from "./shared.tsx";
import { transferFlowMessages } from "./transfer-flow-messages.ts";

export type TransferStep = "input" | "confirm" | "sign" | "done";

const stepKeys = {
  input: "stepInput",
  confirm: "stepConfirm",
  sign: "stepSign",
  done: "stepDone",
} as const;

/** The steps, the current one marked (for screen readers too, with `aria-current`). */
export const TransferSteps = ({ current }: { current: TransferStep }) => {
  const t = useT(transferFlowMessages);
  const order = Object.keys(stepKeys) as TransferStep[];
  const at = order.indexOf(current);
  return (
    <ol class="steps no-print" aria-label={t("steps")} data-testid="transfer-steps">
      {order.map((step, index) => (
        <li
          key={step}
          class={index < at ? "step-past" : index === at ? "step-current" : undefined}
          aria-current={index === at ? "step" : undefined}
        >
          {t(stepKeys[step])}
        </li>
      ))}
    </ol>
  );
};

/** A designated date (YYYY-MM-DD, a JST day) as the reader writes dates. */
export const formatDay = (day: string, lang: Lang): string => formatDate(`${day}T00:00:00+09:00`, lang);

/** A transfer's facts, as the review before creating it and the receipt after show them alike. */
export interface TransferFactsValue {
  readonly from: string;
  readonly bankCode: string;
  readonly bankName: string | null;
  readonly branchCode: string;
  readonly branchName: string | null;
  readonly accountType: string;
  readonly accountNumber: string;
  readonly name: string;
  readonly amount: number;
  /** YYYY-MM-DD, or null: executed once authenticated (and approved). */
  readonly executionDate: string | null;
}

export const TransferFacts = ({ value, testId }: { value: TransferFactsValue; testId?: string }) => {
  const t = useT(transferFlowMessages);
  const s = useT(staffMessages);
  const lang = useLang();
  const named = (name: string | null, code: string) =>
    name ? t("nameWithCode", { name, code }) : t("codeOnly", { code });
  return (
    <dl class="facts" data-testid={testId}>
      <dt>{t("from")}</dt>
      <dd>{value.from}</dd>
      <dt>{t("bank")}</dt>
      <dd data-testid="facts-bank">{named(value.bankName, value.bankCode)}</dd>
      <dt>{t("branch")}</dt>
      <dd data-testid="facts-branch">{named(value.branchName, value.branchCode)}</dd>
      <dt>{t("account")}</dt>
      <dd>{`${accountTypeLabel(value.accountType, s)} ${value.accountNumber}`}</dd>
      <dt>{t("payeeName")}</dt>
      <dd>{value.name.normalize("NFC")}</dd>
      <dt>{t("amount")}</dt>
      <dd class="amount-large" data-testid="facts-amount">
        {formatYen(value.amount, lang)}
      </dd>
      <dt>{t("executionDate")}</dt>
      <dd data-testid="facts-date">
        {value.executionDate ? formatDay(value.executionDate, lang) : t("executionNone")}
      </dd>
    </dl>
  );
};

/** The facts of a transfer the API answered with, the bank's and branch's names from the master. */
const useFactsOf = (transfer: Transfer): TransferFactsValue => {
  const names = useBankNames(transfer.payee.bankCode, transfer.payee.branchCode);
  return {
    from: `${transfer.from.name} ${transfer.from.branchCode}-${transfer.from.accountNumber}`,
    bankCode: transfer.payee.bankCode,
    bankName: names?.bankName ?? null,
    branchCode: transfer.payee.branchCode,
    branchName: names?.branchName ?? null,
    accountType: transfer.payee.accountType,
    accountNumber: transfer.payee.accountNumber,
    name: transfer.payee.name,
    amount: transfer.amount,
    executionDate: transfer.executionDate,
  };
};

/** The payee's bank and branch and the amount in large type, for the reader to hold against the token app. */
export const SignSummary = ({ transfer }: { transfer: Transfer }) => {
  const t = useT(transferFlowMessages);
  const s = useT(staffMessages);
  const lang = useLang();
  const facts = useFactsOf(transfer);
  return (
    <section class="sign-summary" aria-labelledby="sign-summary-title" data-testid="sign-summary">
      <h2 id="sign-summary-title">{t("summaryTitle")}</h2>
      <p class="sign-bank" data-testid="sign-bank">
        {facts.bankName ?? t("codeOnly", { code: facts.bankCode })}{" "}
        {facts.branchName ?? t("codeOnly", { code: facts.branchCode })}
      </p>
      <p class="sign-account">
        {`${accountTypeLabel(facts.accountType, s)} ${facts.accountNumber}　${facts.name.normalize("NFC")}`}
      </p>
      <p class="sign-amount" data-testid="sign-amount">
        {formatYen(facts.amount, lang)}
      </p>
      {facts.executionDate ? (
        <p class="sign-date">{`${t("executionDate")}：${formatDay(facts.executionDate, lang)}`}</p>
      ) : null}
    </section>
  );
};

/** After the transaction authentication: what became of the transfer, its reference, and a receipt to print. */
export const TransferReceipt = ({ transfer }: { transfer: Transfer }) => {
  const t = useT(transferFlowMessages);
  const lang = useLang();
  const facts = useFactsOf(transfer);
  const outcome =
    transfer.status === "executed"
      ? t("doneExecuted")
      : transfer.status === "scheduled" && transfer.executionDate
        ? t("doneScheduled", { date: formatDay(transfer.executionDate, lang) })
        : t("doneAwaiting");
  return (
    <>
      <div class="notice no-print" role="status" data-testid="action-done">
        <p>
          <strong>{t("doneTitle")}</strong>
        </p>
        <p>{outcome}</p>
      </div>
      <section class="receipt panel" aria-labelledby="receipt-title" data-testid="receipt">
        <h2 id="receipt-title">{t("receiptTitle")}</h2>
        <p class="reference">
          {t("reference")} <strong data-testid="reference">{transfer.reference}</strong>
        </p>
        <p class="hint">{t("referenceHint")}</p>
        <TransferFacts value={facts} testId="receipt-facts" />
        <dl class="facts">
          <dt>{t("status")}</dt>
          <dd>
            <StatusBadge status={transfer.status} />
          </dd>
          <dt>{t("acceptedAt")}</dt>
          <dd>{formatDateTime(transfer.signed?.at ?? transfer.created?.at, lang)}</dd>
          <dt>{t("transferId")}</dt>
          <dd class="mono">{transfer.transferId}</dd>
        </dl>
      </section>
      <div class="actions no-print">
        <button type="button" class="primary" onClick={() => globalThis.print()} data-testid="print-receipt">
          {t("print")}
        </button>
        <a href="#/transfers/new">{t("anotherTransfer")}</a>
        <a href={`#/transfers/${encodeURIComponent(transfer.transferId)}`}>{t("toDetail")}</a>
      </div>
    </>
  );
};
