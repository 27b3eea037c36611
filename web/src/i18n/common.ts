// Messages every area uses: the API's problem slugs, and the words of the shell.
import { defineMessages } from "./index.ts";

export const problemMessages = defineMessages(
  {
    validation: "入力内容に誤りがあります。",
    unauthenticated: "ログオンの有効期限が切れました。もう一度ログオンしてください。",
    "invalid-credentials": "入力された情報が正しくありません。",
    forbidden: "この操作を行う権限がありません。",
    "step-required": "ログオンの手続きを先に完了してください。",
    "not-found": "対象が見つかりません。",
    conflict: "現在の状態ではこの操作はできません。",
    "idempotency-conflict": "同じ依頼が別の内容で送信されました。画面を開き直してください。",
    gone: "すでに使用済みです。",
    "too-large": "入力内容が大きすぎます。",
    "pin-policy": "新しい暗証番号が条件を満たしていません。",
    "limit-exceeded": "振込限度額を超えます。",
    "insufficient-funds": "残高が不足しています。",
    "payee-cooling-off": "この振込先は登録・変更の翌営業日からご利用いただけます。",
    "ad-hoc-payee-refused": "ご契約の設定により、登録振込先以外への振込はできません。",
    "first-use-limit": "この振込先への初回の振込は、上限金額を超えることはできません。",
    locked: "ご利用が停止されています。管理者または銀行にお問い合わせください。",
    "contract-stopped": "ご契約のご利用が停止されています。銀行にお問い合わせください。",
    "too-many-requests": "しばらく時間をおいてから操作してください。",
    unavailable: "ただいまサービスをご利用いただけません。",
    internal: "エラーが発生しました。時間をおいて再度お試しください。",
    network: "サービスに接続できません。通信環境をご確認ください。",
  },
  {
    validation: "Some of what you entered is not valid.",
    unauthenticated: "Your logon has expired. Please log on again.",
    "invalid-credentials": "What you entered is not correct.",
    forbidden: "You are not allowed to do this.",
    "step-required": "Please complete the logon steps first.",
    "not-found": "Not found.",
    conflict: "This cannot be done in the current state.",
    "idempotency-conflict": "The same request was sent with other details. Please open the screen again.",
    gone: "Already used.",
    "too-large": "What you entered is too large.",
    "pin-policy": "The new PIN does not meet the PIN rules.",
    "limit-exceeded": "A transfer limit would be exceeded.",
    "insufficient-funds": "The balance is too low.",
    "payee-cooling-off":
      "This payee can receive transfers from the business day after it was registered or changed.",
    "ad-hoc-payee-refused": "Your contract allows transfers to registered payees only.",
    "first-use-limit": "The first transfer to this payee cannot exceed the first-use limit.",
    locked: "Your use is stopped. Please contact your administrator or the bank.",
    "contract-stopped": "Your contract is stopped. Please contact the bank.",
    "too-many-requests": "Please wait a while and try again.",
    unavailable: "The service is unavailable at the moment.",
    internal: "Something went wrong. Please try again later.",
    network: "The service cannot be reached. Please check your connection.",
  },
);

export type ProblemMessageKey = keyof typeof problemMessages.ja;

export const isProblemMessageKey = (slug: string): slug is ProblemMessageKey => slug in problemMessages.ja;

/** The PIN policy's rules (the `rule` of a 422 `pin-policy` problem), in the reader's language. */
export const pinRuleMessages = defineMessages(
  {
    length: "暗証番号は6〜12桁の半角英数字で入力してください。",
    characters:
      "暗証番号に使えるのは半角英字（A〜Z、a〜z）と数字（0〜9）だけです。全角文字・空白・記号は使えません。",
    repeated: "同じ文字だけを繰り返した暗証番号は使えません。",
    sequence: "連続した数字や英字（123456、abcdef、654321 など）は使えません。",
    "same-as-contract-id": "契約番号と同じ暗証番号は使えません。",
    "same-as-user-id": "ユーザIDと同じ暗証番号は使えません。",
    "same-as-other-pin": "ログオン暗証番号と確認暗証番号は異なるものにしてください。",
    "same-as-previous": "変更前と同じ暗証番号は使えません。",
    "same-as-issued": "登録用暗証番号・初期暗証番号と同じ暗証番号は使えません。",
  },
  {
    length: "A PIN is 6 to 12 half-width letters and digits.",
    characters:
      "A PIN may contain only half-width letters (A-Z, a-z) and digits (0-9): no full-width characters, spaces or symbols.",
    repeated: "A PIN must not be one character repeated.",
    sequence: "A PIN must not be an ascending or descending run (123456, abcdef, 654321 …).",
    "same-as-contract-id": "A PIN must not be the contract ID.",
    "same-as-user-id": "A PIN must not be the user ID.",
    "same-as-other-pin": "The logon PIN and the confirmation PIN must be different.",
    "same-as-previous": "The new PIN must not be the PIN it replaces.",
    "same-as-issued": "The new PIN must not be the registration PIN or initial PIN you were given.",
  },
);

export const isPinRule = (rule: unknown): rule is keyof typeof pinRuleMessages.ja =>
  typeof rule === "string" && rule in pinRuleMessages.ja;

/** Who can resume a stopped principal (design §2), told beside a 423 `locked`. */
export const lockedMessages = defineMessages(
  {
    "locked-user":
      "このユーザのご利用は停止されています。利用の再開は管理者（ご契約先の管理者）にご依頼ください。",
    "locked-admin": "管理者のご利用は停止されています。利用の再開は銀行にお申し出ください。",
    "locked-token":
      "ワンタイムパスワードのトークンが停止されています。銀行にトークンのリセットをご依頼ください。",
  },
  {
    "locked-user":
      "This user is stopped. Ask your administrator (the contract's administrator) to resume it.",
    "locked-admin": "The administrator is stopped. Only the bank can resume it: please contact the bank.",
    "locked-token": "The one-time password token is stopped. Ask the bank to reset the token.",
  },
);

/** The shell's words: masthead, navigation, idle warning, logoff. */
export const shellMessages = defineMessages(
  {
    brand: "法人インターネットバンキング",
    switchLanguage: "English",
    switchLanguageLabel: "Switch the language to English",
    logoff: "ログオフ",
    menu: "メニュー",
    navigation: "メインメニュー",
    signedInAs: "{name} 様",
    idleTitle: "まもなく自動的にログオフします",
    idleBody:
      "一定時間操作がないため、あと {seconds} 秒でログオフします。ご利用を続ける場合は「続ける」を押してください。",
    absoluteBody:
      "ログオンできる時間の上限に達するため、あと {seconds} 秒でログオフします。続けてご利用になる場合はもう一度ログオンしてください。",
    keepSession: "続ける",
    loading: "読み込み中…",
    notFound: "この画面はありません。",
    skipToContent: "本文へ移動",
  },
  {
    brand: "Corporate Internet Banking",
    switchLanguage: "日本語",
    switchLanguageLabel: "表示言語を日本語に切り替える",
    logoff: "Log off",
    menu: "Menu",
    navigation: "Main menu",
    signedInAs: "Signed in: {name}",
    idleTitle: "You will be logged off soon",
    idleBody:
      "You have not used the service for a while: you will be logged off in {seconds} seconds. Press “Continue” to keep using it.",
    absoluteBody:
      "The longest time a logon may last is nearly over: you will be logged off in {seconds} seconds. Please log on again to continue.",
    keepSession: "Continue",
    loading: "Loading…",
    notFound: "There is no such screen.",
    skipToContent: "Skip to the content",
  },
);
