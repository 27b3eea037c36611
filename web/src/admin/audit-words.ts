// The audit log's facts in words (GET /v1/audit `details`): each key by its name in the bank's words, each
// known value said as the screens say it (a secret by its name, an account by its number, an amount in yen,
// a time in JST), so no internal key or ID reaches the reader. A fact this console does not know yet is
// shown as the API sent it.
import type { Account } from "../api.ts";
import { formatDateTime, formatYen } from "../components/format.ts";
import { defineMessages, joinList, type Lang, translator } from "../i18n/index.ts";

export const auditWordMessages = defineMessages(
  {
    "key-secret": "対象",
    "key-strikes": "連続誤り回数",
    "key-pending": "次の手続き",
    "key-amount": "金額",
    "key-fromAccountId": "支払元口座",
    "key-was": "変更前の状態",
    "key-deadline": "期限",
    "key-reason": "理由",
    "key-lockMode": "停止の範囲",
    "key-contractStopped": "ご契約の停止",
    "key-serialNumber": "証明書のシリアル番号",
    "key-tokenId": "トークンID",
    "key-via": "経路",
    "key-wasStopped": "停止中だった",
    "key-web": "インターネットバンキング",
    "key-mobile": "モバイル",
    "key-events": "通知するできごと",
    "key-otherPinStrikes": "もう一方の暗証番号の連続誤り回数",
    "key-contractId": "契約番号",
    "key-userId": "利用者ID",
    "key-transferId": "振込番号",
    "secret-logonPin": "ログオン暗証番号",
    "secret-confirmationPin": "確認暗証番号",
    "secret-otp": "ワンタイムパスワード",
    "secret-card": "お客様カード",
    "secret-transactionCode": "取引認証番号",
    "secret-activationPassword": "利用開始パスワード",
    "secret-registrationPin": "登録用暗証番号",
    "pending-otp": "ワンタイムパスワード",
    "pending-card": "お客様カード",
    "pending-set-pins": "暗証番号の登録",
    "pending-register-token": "トークンの登録",
    "pending-certificate": "電子証明書",
    "pending-none": "なし（ログオン完了）",
    "lockMode-linked": "ご契約全体",
    "lockMode-unlinked": "本人のみ",
    "status-awaiting-signature": "取引認証待ち",
    "status-awaiting-approval": "承認待ち",
    "status-executed": "実行済み",
    "status-rejected": "却下",
    "status-cancelled": "取消",
    "status-expired": "期限切れ",
    yes: "はい",
    no: "いいえ",
    fact: "{key}：{value}",
  },
  {
    "key-secret": "Concerning",
    "key-strikes": "Wrong entries in a row",
    "key-pending": "Next step",
    "key-amount": "Amount",
    "key-fromAccountId": "Paid from",
    "key-was": "Status before",
    "key-deadline": "Deadline",
    "key-reason": "Reason",
    "key-lockMode": "Stop applies to",
    "key-contractStopped": "Contract stopped",
    "key-serialNumber": "Certificate serial number",
    "key-tokenId": "Token ID",
    "key-via": "Through",
    "key-wasStopped": "Was stopped",
    "key-web": "Internet banking",
    "key-mobile": "Mobile",
    "key-events": "Events mailed",
    "key-otherPinStrikes": "Wrong entries of the other PIN",
    "key-contractId": "Contract ID",
    "key-userId": "User ID",
    "key-transferId": "Transfer number",
    "secret-logonPin": "logon PIN",
    "secret-confirmationPin": "confirmation PIN",
    "secret-otp": "one-time password",
    "secret-card": "customer card",
    "secret-transactionCode": "transaction code",
    "secret-activationPassword": "activation password",
    "secret-registrationPin": "registration PIN",
    "pending-otp": "one-time password",
    "pending-card": "customer card",
    "pending-set-pins": "setting the PINs",
    "pending-register-token": "registering a token",
    "pending-certificate": "client certificate",
    "pending-none": "none (logged on)",
    "lockMode-linked": "the whole contract",
    "lockMode-unlinked": "the person only",
    "status-awaiting-signature": "Awaiting authentication",
    "status-awaiting-approval": "Awaiting approval",
    "status-executed": "Executed",
    "status-rejected": "Rejected",
    "status-cancelled": "Cancelled",
    "status-expired": "Expired",
    yes: "yes",
    no: "no",
    fact: "{key}: {value}",
  },
);

type WordKey = keyof typeof auditWordMessages.ja;
const known = (key: string): key is WordKey => key in auditWordMessages.ja;

/** One fact of an audit item in words: its label and its value. */
export interface AuditFact {
  readonly label: string;
  readonly value: string;
}

/** The facts of an audit item's `details`, in words; accounts by their number. */
export const auditFacts = (
  details: Readonly<Record<string, unknown>> | null | undefined,
  lang: Lang,
  accounts: readonly Account[],
): AuditFact[] => {
  const w = translator(auditWordMessages, lang);
  const word = (prefix: string, value: unknown) => {
    const key = `${prefix}-${String(value)}`;
    return known(key) ? w(key) : String(value);
  };
  const say = (key: string, value: unknown): string => {
    if (value === null && key === "pending") return w("pending-none");
    if (typeof value === "boolean") return value ? w("yes") : w("no");
    if (value === null || value === undefined) return "—";
    switch (key) {
      case "secret":
        return word("secret", value);
      case "pending":
        return word("pending", value);
      case "lockMode":
        return word("lockMode", value);
      case "was":
        return word("status", value);
      case "amount":
        return typeof value === "number" ? formatYen(value, lang) : String(value);
      case "deadline":
        return formatDateTime(String(value), lang);
      case "fromAccountId": {
        const account = accounts.find((item) => item.accountId === value);
        return account ? `${account.name} ${account.branchCode} ${account.accountNumber}` : String(value);
      }
      case "events":
        return joinList(String(value).split(",").filter(Boolean), lang) || "—";
      default:
        return String(value);
    }
  };
  return Object.entries(details ?? {}).map(([key, value]) => ({
    label: known(`key-${key}`) ? w(`key-${key}` as WordKey) : key,
    value: say(key, value),
  }));
};

/** The facts as one line, as the CSV file carries them. */
export const factsLine = (facts: readonly AuditFact[], lang: Lang): string =>
  facts
    .map((fact) => translator(auditWordMessages, lang)("fact", { key: fact.label, value: fact.value }))
    .join(lang === "ja" ? "、" : "; ");

/** RFC 4180 CSV with a byte-order mark, so spreadsheet programs read the Japanese as UTF-8. */
export const toCsv = (rows: readonly (readonly string[])[]): string =>
  `\uFEFF${rows
    .map((row) =>
      row.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(","),
    )
    .join("\r\n")}\r\n`;
