// Every notification mail the service sends, by template name, and how one is rendered: Japanese with an
// English line, naming the event, its time in JST, the channel where known, and what to do if it was not
// the reader — from an allow-list of facts, so no secret, full account number or token can reach a mail.

/** Facts an outbox item carries for its template (records.ts); times are epoch milliseconds. */
export type MailParams = Readonly<Record<string, string | number | boolean | null>>;

/** `security`: mandatory, cannot be switched off. `optional`: a Select E-mail event the principal chose. */
export type MailKind = "security" | "optional";

export interface Bilingual {
  readonly ja: string;
  readonly en: string;
}

export interface MailTemplate {
  /** What the event is by design §6; the sender renders the kind written on the outbox item. */
  readonly kind: MailKind;
  /** Follows the service's name in the subject line. */
  readonly subject: Bilingual;
  /** What happened, in a sentence or two. */
  readonly event: Bilingual | ((params: MailParams) => Bilingual);
  /** What the reader should do if it was not them (or not asked for by them). */
  readonly ifNotYou: Bilingual;
}

export const serviceName: Bilingual = {
  ja: "法人インターネットバンキング",
  en: "Corporate Internet Banking",
};

/** What to do, shared by the templates whose events call for the same reaction. */
const reactions = {
  logon: {
    ja: "お心当たりがない場合は、直ちにログオン暗証番号と確認暗証番号を変更し、サポートデスクへご連絡ください。",
    en: "If this was not you, change your logon and confirmation PINs at once and call the support desk.",
  },
  ownChange: {
    ja: "お心当たりがない場合は、第三者がご利用中のおそれがあります。直ちにサポートデスクへご連絡ください。",
    en: "If this was not you, someone else may be using your access: call the support desk at once.",
  },
  locked: {
    ja: "ご自身の誤入力でない場合は、第三者が暗証番号等を試したおそれがあります。サポートデスクへご連絡ください。",
    en: "If these were not your own mistakes, someone may have tried your secrets: call the support desk.",
  },
  userChange: {
    ja: "お心当たりがない場合は、管理者の方が利用者の設定をご確認のうえ、サポートデスクへご連絡ください。",
    en: "If no one in your company made this change, the administrator should check the users and call the support desk.",
  },
  bank: {
    ja: "当行へのお申し出にお心当たりがない場合は、直ちにサポートデスクへご連絡ください。",
    en: "If you did not ask the bank for this, call the support desk at once.",
  },
  stop: {
    ja: "ご利用の停止にお心当たりがない場合は、サポートデスクへご連絡ください。再開には当行へのお申し出が必要です。",
    en: "If you did not stop it, call the support desk. Only the bank can resume it.",
  },
  device: {
    ja: "お心当たりがない場合は、直ちにサポートデスクへご連絡ください。当行が停止の手続きをいたします。",
    en: "If this was not you, call the support desk at once and the bank will cancel it.",
  },
  resetByAdministrator: {
    ja: "ご本人が再設定を依頼していない場合は、管理者の方ではなく、直ちに当行サポートデスクへご連絡ください。",
    en: "If the user did not ask for this, the user should call the bank's support desk at once, not the administrator.",
  },
  // The lure of 2025's corporate fraud wave was "your certificate must be renewed": these mails say how
  // renewal really works, and carry no link (no mail does).
  certificate: {
    ja: "お心当たりがない場合は、直ちにサポートデスクへご連絡ください。当行が電話やメールのリンクで電子証明書の更新をお願いすることはありません。更新はログオン後の画面でのみ行えます。",
    en: "If this was not you, call the support desk at once. The bank never asks you to renew a certificate by phone or by a link in a mail; renewal is done only in the console after you log on.",
  },
  payee: {
    ja: "お心当たりのない振込先の登録・変更・削除の場合は、直ちに登録振込先をご確認のうえ、サポートデスクへご連絡ください。",
    en: "If no one in your company made this change, check the payee book at once and call the support desk.",
  },
  transfer: {
    ja: "お心当たりのない振込の場合は、直ちにサポートデスクへご連絡ください。",
    en: "If you do not recognise this transfer, call the support desk at once.",
  },
} as const satisfies Record<string, Bilingual>;

const stoppedScope = (params: MailParams): Bilingual =>
  params.contractStopped === true
    ? {
        ja: "ご契約全体のご利用も停止しました。再開には当行へのお申し出が必要です。",
        en: "The whole contract is stopped as well; only the bank can restart it.",
      }
    : {
        ja: "再開は管理者の方にご依頼ください。",
        en: "Ask your administrator to resume it.",
      };

const join = (...parts: Bilingual[]): Bilingual => ({
  ja: parts.map((part) => part.ja).join(""),
  en: parts.map((part) => part.en).join(" "),
});

/** The sentence on the hold after an administrator's reset (decision 011), when the mail carries its end. */
const holdNotice = (params: MailParams): Bilingual[] =>
  typeof params.holdUntil === "number"
    ? [
        {
          ja: "下記の期限まで、この利用者は振込の取引認証・承認ができません。",
          en: "Until the time below, the user cannot authenticate or approve transfers.",
        },
      ]
    : [];

/**
 * The registry: a name not listed here is refused by TypeScript where an outbox item is written
 * (`Mail.template` in records.ts is `MailTemplateName`).
 */
export const mailTemplates = {
  // Select E-mail events (model.ts optionalEvents)
  logon: {
    kind: "optional",
    subject: { ja: "ログオンのお知らせ", en: "Logon" },
    event: { ja: "ログオンがありました。", en: "You logged on." },
    ifNotYou: reactions.logon,
  },
  "settings-changed": {
    kind: "optional",
    subject: { ja: "設定変更のお知らせ", en: "Settings changed" },
    event: { ja: "お客さまの設定が変更されました。", en: "Your settings were changed." },
    ifNotYou: reactions.ownChange,
  },
  "transfer-created": {
    kind: "optional",
    subject: { ja: "振込受付のお知らせ", en: "Transfer created" },
    event: { ja: "振込のご依頼を受け付けました。", en: "A transfer was created." },
    ifNotYou: reactions.transfer,
  },
  "transfer-approved": {
    kind: "optional",
    subject: { ja: "振込承認のお知らせ", en: "Transfer approved" },
    event: { ja: "振込が承認されました。", en: "A transfer was approved." },
    ifNotYou: reactions.transfer,
  },
  "transfer-executed": {
    kind: "optional",
    subject: { ja: "振込実行のお知らせ", en: "Transfer executed" },
    event: { ja: "振込を実行しました。", en: "A transfer was executed." },
    ifNotYou: reactions.transfer,
  },
  "transfer-rejected": {
    kind: "optional",
    subject: { ja: "振込却下のお知らせ", en: "Transfer rejected" },
    event: { ja: "振込が却下されました。", en: "A transfer was rejected." },
    ifNotYou: reactions.transfer,
  },
  "approval-requested": {
    kind: "optional",
    subject: { ja: "承認依頼のお知らせ", en: "Approval requested" },
    event: (params) =>
      params.slot === "last"
        ? { ja: "振込の最終承認をお待ちしています。", en: "A transfer awaits its final approval." }
        : { ja: "振込の承認をお待ちしています。", en: "A transfer awaits approval." },
    ifNotYou: reactions.transfer,
  },

  // Always sent: a payment the company counted on did not go out.
  "transfer-failed": {
    kind: "security",
    subject: { ja: "予約振込不能のお知らせ", en: "Scheduled transfer failed" },
    event: {
      ja: "ご指定日の振込を実行できませんでした(残高不足、限度額超過等)。内容をご確認ください。",
      en: "A scheduled transfer could not be executed on its date (balance, limits or the like). Please check it.",
    },
    ifNotYou: reactions.transfer,
  },

  // Always sent: the payments of a whole batch did not go out.
  "batch-failed": {
    kind: "security",
    subject: { ja: "総合振込不能のお知らせ", en: "Batch failed" },
    event: {
      ja: "ご指定日の総合振込(給与・賞与振込)を実行できませんでした(残高不足、限度額超過等)。内容をご確認ください。",
      en: "A batch of transfers could not be executed on its date (balance, limits or the like). Please check it.",
    },
    ifNotYou: reactions.transfer,
  },

  // Mandatory security mails (design §6)
  "principal-locked": {
    kind: "security",
    subject: { ja: "ご利用停止のお知らせ", en: "Access locked" },
    event: (params) =>
      join(
        {
          ja: "暗証番号等の誤入力が規定の回数に達したため、ご利用を停止しました。",
          en: "Your access is locked: a secret was entered wrongly too many times.",
        },
        stoppedScope(params),
      ),
    ifNotYou: reactions.locked,
  },
  "user-locked": {
    kind: "security",
    subject: { ja: "利用者のご利用停止のお知らせ", en: "User locked" },
    event: (params) =>
      join(
        {
          ja: "利用者の暗証番号等の誤入力が規定の回数に達したため、その利用者のご利用を停止しました。",
          en: "A user is locked: a secret was entered wrongly too many times.",
        },
        params.contractStopped === true
          ? stoppedScope(params)
          : { ja: "管理者の方が再開できます。", en: "You, the administrator, can resume the user." },
      ),
    ifNotYou: reactions.locked,
  },
  "user-unlocked": {
    kind: "security",
    subject: { ja: "利用者のご利用再開のお知らせ", en: "User resumed" },
    event: { ja: "利用者のご利用が再開されました。", en: "A user's access was resumed." },
    ifNotYou: reactions.userChange,
  },
  "logon-stopped": {
    kind: "security",
    subject: { ja: "ログオン停止のお知らせ", en: "Logon stopped" },
    event: {
      ja: "お申し出によりログオンを停止しました。",
      en: "Logon was stopped at your request.",
    },
    ifNotYou: reactions.stop,
  },
  "contract-stopped": {
    kind: "security",
    subject: { ja: "ご契約の利用停止のお知らせ", en: "Contract stopped" },
    event: {
      ja: "ご契約のご利用を停止しました。",
      en: "The contract is stopped.",
    },
    ifNotYou: reactions.stop,
  },
  "contract-restarted": {
    kind: "security",
    subject: { ja: "ご利用再開のお知らせ", en: "Contract restarted" },
    event: { ja: "当行にてご契約のご利用を再開しました。", en: "The bank restarted your contract." },
    ifNotYou: reactions.bank,
  },
  "admin-reset": {
    kind: "security",
    subject: { ja: "管理者の暗証番号再発行のお知らせ", en: "Administrator reset" },
    event: {
      ja: "当行にて管理者の登録用暗証番号を再発行しました。以前の暗証番号はご利用いただけません。",
      en: "The bank issued a new registration PIN for the administrator; the old PINs no longer work.",
    },
    ifNotYou: reactions.bank,
  },
  "pins-set": {
    kind: "security",
    subject: { ja: "暗証番号登録のお知らせ", en: "PINs set" },
    event: {
      ja: "ログオン暗証番号と確認暗証番号が登録されました。",
      en: "Your logon and confirmation PINs were set.",
    },
    ifNotYou: reactions.ownChange,
  },
  "pin-changed": {
    kind: "security",
    subject: { ja: "ログオン暗証番号変更のお知らせ", en: "Logon PIN changed" },
    event: { ja: "ログオン暗証番号が変更されました。", en: "The logon PIN was changed." },
    ifNotYou: reactions.ownChange,
  },
  "confirmation-pin-changed": {
    kind: "security",
    subject: { ja: "確認暗証番号変更のお知らせ", en: "Confirmation PIN changed" },
    event: { ja: "確認暗証番号が変更されました。", en: "The confirmation PIN was changed." },
    ifNotYou: reactions.ownChange,
  },
  "user-created": {
    kind: "security",
    subject: { ja: "利用者登録のお知らせ", en: "User created" },
    event: { ja: "利用者が登録されました。", en: "A user was created." },
    ifNotYou: reactions.userChange,
  },
  "user-changed": {
    kind: "security",
    subject: { ja: "利用者情報変更のお知らせ", en: "User changed" },
    event: { ja: "利用者の情報が変更されました。", en: "A user's details were changed." },
    ifNotYou: reactions.userChange,
  },
  "approval-policy-changed": {
    kind: "security",
    subject: { ja: "承認ルール変更のお知らせ", en: "Approval policy changed" },
    event: {
      ja: "振込の承認ルール（金額に応じた承認者数）が変更されました。変更前に取引認証された振込は、取引認証時のルールで承認されます。",
      en: "The approval policy (approvals by amount) was changed. Transfers signed before the change keep the policy they were signed under.",
    },
    ifNotYou: reactions.userChange,
  },
  "user-deleted": {
    kind: "security",
    subject: { ja: "利用者削除のお知らせ", en: "User deleted" },
    event: { ja: "利用者が削除されました。", en: "A user was deleted." },
    ifNotYou: reactions.userChange,
  },
  "user-transfer-cancelled": {
    kind: "security",
    subject: { ja: "利用者削除に伴う振込取消のお知らせ", en: "Transfer cancelled with its user" },
    event: {
      ja: "利用者の削除に伴い、その利用者が依頼した未実行の振込を取り消しました。",
      en: "A transfer that a deleted user had created and that was not executed was cancelled.",
    },
    ifNotYou: reactions.userChange,
  },
  "user-pins-reset": {
    kind: "security",
    subject: { ja: "利用者の暗証番号再設定のお知らせ", en: "User PINs reset" },
    event: (params) =>
      join(
        {
          ja: "管理者により利用者の暗証番号が再設定されました。以前の暗証番号はご利用いただけません。",
          en: "The administrator reset a user's PINs; the old PINs no longer work.",
        },
        ...holdNotice(params),
      ),
    ifNotYou: reactions.resetByAdministrator,
  },
  "token-issued": {
    kind: "security",
    subject: { ja: "ワンタイムパスワード発行のお知らせ", en: "Token issued" },
    event: (params) =>
      join(
        {
          ja: "ワンタイムパスワードのトークンが発行されました。",
          en: "A one-time password token was issued.",
        },
        ...holdNotice(params),
      ),
    ifNotYou: reactions.device,
  },
  "token-activated": {
    kind: "security",
    subject: { ja: "ワンタイムパスワード利用開始のお知らせ", en: "Token activated" },
    event: {
      ja: "ワンタイムパスワードのトークンの利用が開始されました。",
      en: "A one-time password token was activated.",
    },
    ifNotYou: reactions.device,
  },
  "token-cancelled": {
    kind: "security",
    subject: { ja: "ワンタイムパスワード利用解除のお知らせ", en: "Token cancelled" },
    event: {
      ja: "ワンタイムパスワードのトークンの利用が解除されました。",
      en: "A one-time password token was cancelled.",
    },
    ifNotYou: reactions.device,
  },
  "token-download": {
    kind: "security",
    subject: { ja: "ワンタイムパスワードアプリのご利用登録", en: "Set up your token app" },
    event: {
      ja: "ワンタイムパスワードアプリをダウンロードし、下記のサービスID・トークンIDと、お申込み時にお決めいただいた利用開始パスワードを入力してください。",
      en: "Download the token app and enter the service ID and token ID below with the activation password you chose.",
    },
    ifNotYou: reactions.device,
  },
  "token-renewed": {
    kind: "security",
    subject: { ja: "ワンタイムパスワード有効期限延長のお知らせ", en: "Token renewed" },
    event: {
      ja: "ワンタイムパスワードのトークンの有効期限が延長されました。",
      en: "A one-time password token was renewed.",
    },
    ifNotYou: reactions.device,
  },
  "token-reset": {
    kind: "security",
    subject: { ja: "ワンタイムパスワード停止解除のお知らせ", en: "Token reset by the bank" },
    event: {
      ja: "停止していたワンタイムパスワードのトークンを当行が解除しました。新しいトークンをお申込みください。",
      en: "The bank cleared a stopped token; apply for a new one.",
    },
    ifNotYou: reactions.bank,
  },
  "otp-replayed": {
    kind: "security",
    subject: { ja: "使用済みワンタイムパスワードの入力", en: "A used one-time password was entered" },
    event: {
      ja: "すでに使用されたワンタイムパスワードが再度入力されたため、受け付けませんでした。",
      en: "A one-time password that had already been used was entered again and refused.",
    },
    ifNotYou: reactions.logon,
  },
  "certificate-issued": {
    kind: "security",
    subject: { ja: "電子証明書発行のお知らせ", en: "Certificate issued" },
    event: { ja: "電子証明書が発行されました。", en: "A client certificate was issued." },
    ifNotYou: reactions.certificate,
  },
  "certificate-renewed": {
    kind: "security",
    subject: { ja: "電子証明書更新のお知らせ", en: "Certificate renewed" },
    event: {
      ja: "電子証明書が更新されました。以前の証明書は有効期限まで使えます。",
      en: "A client certificate was renewed; the previous one works until it expires.",
    },
    ifNotYou: reactions.certificate,
  },
  "certificate-revoked": {
    kind: "security",
    subject: { ja: "電子証明書失効のお知らせ", en: "Certificate revoked" },
    event: { ja: "電子証明書が失効しました。", en: "A client certificate was revoked." },
    ifNotYou: reactions.device,
  },
  "passkey-registered": {
    kind: "security",
    subject: { ja: "生体認証 (パスキー) 登録のお知らせ", en: "Passkey registered" },
    event: {
      ja: "生体認証ログオン用のパスキーが登録されました。",
      en: "A passkey for biometric logon was registered.",
    },
    ifNotYou: reactions.device,
  },
  "passkey-renamed": {
    kind: "security",
    subject: { ja: "パスキー名変更のお知らせ", en: "Passkey renamed" },
    event: { ja: "パスキーの名前が変更されました。", en: "A passkey was renamed." },
    ifNotYou: reactions.ownChange,
  },
  "passkey-deleted": {
    kind: "security",
    subject: { ja: "パスキー削除のお知らせ", en: "Passkey deleted" },
    event: {
      ja: "パスキーが削除されました。このパスキーではログオンできません。",
      en: "A passkey was deleted; it can no longer log on.",
    },
    ifNotYou: reactions.ownChange,
  },
  "passkey-first-use": {
    kind: "security",
    subject: { ja: "パスキーによる初回ログオンのお知らせ", en: "First logon with a passkey" },
    event: {
      ja: "このパスキーで初めてログオンがありました。",
      en: "This passkey was used to log on for the first time.",
    },
    ifNotYou: reactions.device,
  },
  "passkey-stopped": {
    kind: "security",
    subject: { ja: "パスキー停止のお知らせ", en: "Passkey stopped" },
    event: {
      ja: "パスキーの使用回数カウンタが進んでいなかったため、複製された認証器のおそれがあるとしてこのパスキーを停止しました。",
      en: "The passkey's signature counter did not advance, which suggests a copied authenticator: the passkey is stopped.",
    },
    ifNotYou: reactions.device,
  },
  "passkeys-revoked": {
    kind: "security",
    subject: { ja: "パスキー一括失効のお知らせ", en: "Passkeys revoked" },
    event: {
      ja: "当行がご契約のすべてのパスキーを失効させました。再度ご利用の際は登録し直してください。",
      en: "The bank revoked every passkey of the contract; register them again to use them.",
    },
    ifNotYou: reactions.bank,
  },
  "payee-registered": {
    kind: "security",
    subject: { ja: "振込先登録のお知らせ", en: "Payee registered" },
    event: { ja: "登録振込先が登録されました。", en: "A payee was added to the payee book." },
    ifNotYou: reactions.payee,
  },
  "payee-changed": {
    kind: "security",
    subject: { ja: "振込先変更のお知らせ", en: "Payee changed" },
    event: { ja: "登録振込先が変更されました。", en: "A payee of the payee book was changed." },
    ifNotYou: reactions.payee,
  },
  "payee-deleted": {
    kind: "security",
    subject: { ja: "振込先削除のお知らせ", en: "Payee deleted" },
    event: { ja: "登録振込先が削除されました。", en: "A payee was deleted from the payee book." },
    ifNotYou: reactions.payee,
  },
} as const satisfies Record<string, MailTemplate>;

export type MailTemplateName = keyof typeof mailTemplates;

export const mailTemplateNames = Object.keys(mailTemplates) as MailTemplateName[];

export const isMailTemplateName = (name: unknown): name is MailTemplateName =>
  typeof name === "string" && Object.hasOwn(mailTemplates, name);

// ---- Facts: only these parameters are ever shown, each in its own words ----

const jstOffsetMs = 9 * 3_600_000;

/** `2026年01月05日 09時00分 (JST)` and `2026-01-05 09:00 JST`; computed, not locale-dependent. */
export const formatJst = (epochMs: number): Bilingual => {
  const [date = "", time = ""] = new Date(epochMs + jstOffsetMs).toISOString().split("T");
  const [year, month, day] = date.split("-");
  const [hour, minute, second] = time.slice(0, 8).split(":");
  return {
    ja: `${year}年${month}月${day}日 ${hour}時${minute}分${second}秒 (日本時間)`,
    en: `${date} ${hour}:${minute}:${second} JST`,
  };
};

/** Only the last four characters of an account number are ever shown. */
export const maskAccount = (value: string): string => {
  const compact = value.replace(/[\s-]/g, "");
  return compact.length <= 4 ? "****" : `****${compact.slice(-4)}`;
};

const channels: Record<string, Bilingual> = {
  web: { ja: "パソコン (Web)", en: "web" },
  mobile: { ja: "スマートフォン", en: "mobile" },
};

const secrets: Record<string, Bilingual> = {
  registrationPin: { ja: "登録用暗証番号", en: "registration PIN" },
  logonPin: { ja: "ログオン暗証番号", en: "logon PIN" },
  confirmationPin: { ja: "確認暗証番号", en: "confirmation PIN" },
  otp: { ja: "ワンタイムパスワード", en: "one-time password" },
  card: { ja: "ご契約者カードの確認番号", en: "contract card code" },
  transactionCode: { ja: "取引確認番号", en: "transaction code" },
  activationPassword: { ja: "利用開始パスワード", en: "activation password" },
  passkey: { ja: "生体認証 (パスキー)", en: "passkey" },
};

const settings: Record<string, Bilingual> = {
  notifications: { ja: "Eメール通知 (セレクトEメール)", en: "mail notifications (Select E-mail)" },
  channels: { ja: "ご利用チャネル", en: "channels" },
};

const userFields: Record<string, Bilingual> = {
  name: { ja: "氏名", en: "name" },
  email: { ja: "メールアドレス", en: "e-mail address" },
  permissions: { ja: "権限", en: "permissions" },
  limits: { ja: "限度額", en: "limits" },
};

const stopReasons: Record<string, Bilingual> = {
  "admin-locked": { ja: "管理者の誤入力による停止", en: "administrator locked" },
  "user-locked": { ja: "利用者の誤入力による停止", en: "user locked" },
  "emergency-stop": { ja: "緊急停止のお申し出", en: "emergency stop" },
};

const same = (value: string): Bilingual => ({ ja: value, en: value });
const lookup = (table: Record<string, Bilingual>, value: string): Bilingual => table[value] ?? same(value);

const principalName = (label: string): Bilingual => {
  if (label === "admin") return { ja: "管理者", en: "administrator" };
  if (label === "ops") return { ja: "当行", en: "the bank" };
  if (label.startsWith("user:")) {
    const userId = label.slice("user:".length);
    return { ja: `利用者 ${userId}`, en: `user ${userId}` };
  }
  return same(label);
};

const yen = (amount: number): Bilingual => ({
  ja: `${amount.toLocaleString("en-US")}円`,
  en: `JPY ${amount.toLocaleString("en-US")}`,
});

interface Fact {
  readonly label: Bilingual;
  readonly show: (value: string | number | boolean) => Bilingual | undefined;
}

const text = (value: string | number | boolean): string => String(value);

/** The facts a mail may show, in the order shown. A parameter not listed here never appears in a mail. */
const facts: readonly (readonly [name: string, fact: Fact])[] = [
  [
    "at",
    {
      label: { ja: "日時", en: "Time" },
      show: (value) => (typeof value === "number" ? formatJst(value) : undefined),
    },
  ],
  [
    "channel",
    { label: { ja: "ご利用チャネル", en: "Channel" }, show: (value) => lookup(channels, text(value)) },
  ],
  ["principal", { label: { ja: "操作した方", en: "By" }, show: (value) => principalName(text(value)) }],
  ["userId", { label: { ja: "対象の利用者", en: "User" }, show: (value) => same(text(value)) }],
  [
    "secret",
    {
      label: { ja: "誤入力された項目", en: "Entered wrongly" },
      show: (value) => lookup(secrets, text(value)),
    },
  ],
  [
    "setting",
    { label: { ja: "変更された設定", en: "Setting" }, show: (value) => lookup(settings, text(value)) },
  ],
  [
    "changed",
    {
      label: { ja: "変更された項目", en: "Changed" },
      show: (value) => {
        const names = text(value)
          .split(",")
          .filter((name) => name !== "")
          .map((name) => lookup(userFields, name));
        return { ja: names.map((name) => name.ja).join("、"), en: names.map((name) => name.en).join(", ") };
      },
    },
  ],
  [
    "reason",
    { label: { ja: "停止の理由", en: "Reason" }, show: (value) => lookup(stopReasons, text(value)) },
  ],
  ["serviceId", { label: { ja: "サービスID", en: "Service ID" }, show: (value) => same(text(value)) }],
  ["tokenId", { label: { ja: "トークンID", en: "Token ID" }, show: (value) => same(text(value)) }],
  [
    "expiresAt",
    {
      label: { ja: "有効期限", en: "Valid until" },
      show: (value) => (typeof value === "number" ? formatJst(value) : undefined),
    },
  ],
  [
    "holdUntil",
    {
      label: { ja: "取引認証・承認ができない期限", en: "No transaction authentication or approval until" },
      show: (value) => (typeof value === "number" ? formatJst(value) : undefined),
    },
  ],
  ["transferId", { label: { ja: "振込番号", en: "Transfer ID" }, show: (value) => same(text(value)) }],
  ["batchId", { label: { ja: "総合振込番号", en: "Batch ID" }, show: (value) => same(text(value)) }],
  [
    "batchKind",
    {
      label: { ja: "種別", en: "Kind" },
      show: (value) =>
        ({
          general: { ja: "総合振込", en: "Bulk transfer" },
          salary: { ja: "給与振込", en: "Salary" },
          bonus: { ja: "賞与振込", en: "Bonus" },
        })[text(value)] ?? same(text(value)),
    },
  ],
  ["date", { label: { ja: "振込指定日", en: "Transfer date" }, show: (value) => same(text(value)) }],
  [
    "count",
    {
      label: { ja: "件数", en: "Payments" },
      show: (value) => (typeof value === "number" ? { ja: `${value}件`, en: String(value) } : undefined),
    },
  ],
  [
    "amount",
    {
      label: { ja: "金額", en: "Amount" },
      show: (value) => (typeof value === "number" ? yen(value) : undefined),
    },
  ],
  [
    "fromAccount",
    { label: { ja: "出金口座", en: "From account" }, show: (value) => same(maskAccount(text(value))) },
  ],
  [
    "toAccount",
    { label: { ja: "入金口座", en: "To account" }, show: (value) => same(maskAccount(text(value))) },
  ],
  ["payeeBank", { label: { ja: "振込先金融機関", en: "Payee's bank" }, show: (value) => same(text(value)) }],
  ["usableFrom", { label: { ja: "振込可能日", en: "Usable from" }, show: (value) => same(text(value)) }],
  ["account", { label: { ja: "口座", en: "Account" }, show: (value) => same(maskAccount(text(value))) }],
  ["passkeyName", { label: { ja: "パスキーの名前", en: "Passkey" }, show: (value) => same(text(value)) }],
  ["serial", { label: { ja: "シリアル番号", en: "Serial number" }, show: (value) => same(text(value)) }],
];

const kindNotes: Record<MailKind, Bilingual> = {
  security: {
    ja: "このメールはセキュリティに関わる重要なお知らせのため、配信を停止することはできません。",
    en: "This is a security notice and cannot be switched off.",
  },
  optional: {
    ja: "このメールは、お客さまがセレクトEメールで選択されたお知らせです。配信の要否は設定から変更できます。",
    en: "You chose this notice (Select E-mail); you can change your choice in your settings.",
  },
};

export interface RenderedMail {
  readonly subject: string;
  /** Lines joined by `\n`; the MIME layer writes CRLF. */
  readonly text: string;
}

export interface RenderOptions {
  /** The kind written on the outbox item (an unknown one is treated as a security mail). */
  readonly kind: MailKind;
  /** Adds the note on the S/MIME signature (reference 000: 電子署名付電子メール). */
  readonly signed?: boolean;
}

/** Renders a registered template with its facts. Throws on an unknown name: that is a programming error. */
export const renderMail = (
  name: MailTemplateName,
  params: MailParams,
  options: RenderOptions,
): RenderedMail => {
  const template: MailTemplate | undefined = isMailTemplateName(name) ? mailTemplates[name] : undefined;
  if (!template) throw new Error(`No mail template "${String(name)}"`);
  const event = typeof template.event === "function" ? template.event(params) : template.event;
  const kind: MailKind = options.kind === "optional" ? "optional" : "security";

  const factLines: string[] = [];
  for (const [name, fact] of facts) {
    const value = params[name];
    if (value === undefined || value === null) continue;
    const shown = fact.show(value);
    if (!shown) continue;
    factLines.push(`${fact.label.ja}: ${shown.ja}`, `  ${fact.label.en}: ${shown.en}`);
  }

  const lines = [
    `${serviceName.ja}をご利用いただき、ありがとうございます。`,
    `This is a notice from ${serviceName.en}.`,
    "",
    `■ ${template.subject.ja}`,
    event.ja,
    event.en,
    "",
    ...factLines,
    "",
    "■ お心当たりがない場合 / If this was not you",
    template.ifNotYou.ja,
    template.ifNotYou.en,
    "",
    "――――――――――――――――――――",
    kindNotes[kind].ja,
    kindNotes[kind].en,
    "当行が暗証番号やワンタイムパスワードをメールや電話でお尋ねすることはありません。",
    "The bank never asks for your PINs or one-time passwords by mail or phone.",
    "このメールは送信専用です。ご返信いただいてもお答えできません。",
    "This address does not accept replies.",
    ...(options.signed
      ? [
          "このメールには電子署名（S/MIME）が付いています。「smime.p7s」は署名のファイルです。",
          "This mail is digitally signed (S/MIME); smime.p7s is the signature.",
        ]
      : []),
  ];
  return {
    subject: `【${serviceName.ja}】${template.subject.ja} / ${template.subject.en}`,
    text: lines.join("\n"),
  };
};
