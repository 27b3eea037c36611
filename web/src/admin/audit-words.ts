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
    "key-bankCode": "金融機関コード",
    "key-branchCode": "支店コード",
    "key-accountNumber": "口座番号",
    "key-awaiting": "次の段階",
    "key-reissue": "再発行",
    "key-perTransfer": "1回あたりの限度額",
    "key-daily": "1日あたりの限度額",
    "key-dailyLimit": "ご契約の1日あたりの限度額",
    "key-permissions": "業務権限",
    "key-otpMethod": "本人確認の方式",
    "key-accounts": "口座数",
    "key-userOtpRequired": "利用者のワンタイムパスワード",
    "key-approvalRequired": "承認",
    "key-certificateRequired": "電子証明書",
    "awaiting-approval": "承認",
    "awaiting-signature": "取引認証",
    "otpMethod-token": "トークン",
    "otpMethod-card": "お客様カード",
    "permission-accounts:view": "口座照会",
    "permission-transfers:create": "振込の作成",
    "permission-transfers:approve": "振込の承認",
    "permission-audit:view": "操作履歴の照会",
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
    "key-bankCode": "Bank code",
    "key-branchCode": "Branch code",
    "key-accountNumber": "Account number",
    "key-awaiting": "Next",
    "key-reissue": "Reissue",
    "key-perTransfer": "Limit per transfer",
    "key-daily": "Daily limit",
    "key-dailyLimit": "Contract's daily limit",
    "key-permissions": "Permissions",
    "key-otpMethod": "Second factor",
    "key-accounts": "Accounts",
    "key-userOtpRequired": "Users' one-time passwords",
    "key-approvalRequired": "Approval",
    "key-certificateRequired": "Client certificates",
    "awaiting-approval": "approval",
    "awaiting-signature": "transaction authentication",
    "otpMethod-token": "token",
    "otpMethod-card": "customer card",
    "permission-accounts:view": "accounts",
    "permission-transfers:create": "create transfers",
    "permission-transfers:approve": "approve transfers",
    "permission-audit:view": "audit log",
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

/**
 * The facts of an audit item's `details`, in words; accounts by their number, and an account not among
 * `accounts` as "—" (the caller waits for the accounts before asking, or every account would be unknown).
 */
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
      case "awaiting":
        return word("awaiting", value);
      case "otpMethod":
        return word("otpMethod", value);
      case "permissions":
        return (
          joinList(
            String(value)
              .split(",")
              .filter(Boolean)
              .map((name) => word("permission", name)),
            lang,
          ) || "—"
        );
      case "amount":
      case "perTransfer":
      case "daily":
      case "dailyLimit":
        return typeof value === "number" ? formatYen(value, lang) : String(value);
      case "deadline":
        return formatDateTime(String(value), lang);
      case "fromAccountId": {
        const account = accounts.find((item) => item.accountId === value);
        // An account this principal cannot see (or no longer has) is not named by its internal ID.
        return account ? `${account.name} ${account.branchCode} ${account.accountNumber}` : "—";
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
