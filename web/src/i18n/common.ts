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
    "same-as-user-id": "利用者IDと同じ暗証番号は使えません。",
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
      "この利用者のご利用は停止されています。利用の再開は管理者（ご契約先の管理者）にご依頼ください。",
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
    brand: "{bank} 法人インターネットバンキング",
    service: "法人インターネットバンキング",
    pageTitle: "{screen} | {bank} 法人インターネットバンキング",
    "group-inquiry": "照会",
    "group-transfer": "振込",
    "group-approval": "承認",
    "group-admin": "管理",
    "group-settings": "設定",
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
    brand: "{bank} Corporate Internet Banking",
    service: "Corporate Internet Banking",
    pageTitle: "{screen} | {bank} Corporate Internet Banking",
    "group-inquiry": "Inquiries",
    "group-transfer": "Transfers",
    "group-approval": "Approvals",
    "group-admin": "Administration",
    "group-settings": "Settings",
    switchLanguage: "日本語",
    switchLanguageLabel: "表示言語を日本語に切り替える",
    logoff: "Log off",
    menu: "Menu",
    navigation: "Main menu",
    signedInAs: "Logged on: {name}",
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

/** What the API's problem fields say (`attemptsLeft`, `limit`, `correlationId`), in the reader's language. */
export const problemFieldMessages = defineMessages(
  {
    attemptsLeft: "あと{count}回誤るとご利用が停止されます。",
    attemptsNone: "続けて誤ったため、ご利用が停止されました。",
    limit: "{kind}（{amount}）を超えます。本日あと{remaining}までご利用いただけます。",
    limitOnly: "{kind}（{amount}）を超えます。",
    "limit-per-transfer": "1回あたりの振込限度額",
    "limit-daily": "1日あたりの振込限度額",
    "limit-contract-daily": "ご契約の1日あたりの振込限度額",
    "limit-other": "振込限度額",
    correlationId: "お問い合わせ番号：{id}",
    summaryTitle: "入力内容をご確認ください（{count}件）",
    fieldError: "{field}：{message}",
  },
  {
    attemptsLeft: "{count} more wrong entries will stop your use.",
    attemptsNone: "After repeated wrong entries your use is stopped.",
    limit: "This exceeds the {kind} ({amount}). {remaining} is left for today.",
    limitOnly: "This exceeds the {kind} ({amount}).",
    "limit-per-transfer": "limit per transfer",
    "limit-daily": "daily limit",
    "limit-contract-daily": "contract's daily limit",
    "limit-other": "transfer limit",
    correlationId: "Reference for the bank: {id}",
    summaryTitle: "Please check what you entered ({count})",
    fieldError: "{field}: {message}",
  },
);

/** The rule of a field the API refused (`errors[].rule` of a `validation` problem), said of the field. */
export const fieldRuleMessages = defineMessages(
  {
    required: "入力してください。",
    format: "形式が正しくありません。",
    "too-short": "桁数が足りません。",
    "too-long": "長すぎます。",
    length: "桁数が正しくありません。",
    "too-small": "小さすぎます。",
    "too-large": "大きすぎます。",
    integer: "整数で入力してください。",
    "one-of": "選択肢から選んでください。",
    type: "入力内容が正しくありません。",
    "unknown-field": "この画面からは送信できない項目です。",
    "above-contract-daily": "ご契約の1日あたりの振込限度額を超えています。",
    "above-daily": "1日あたりの限度額を超えています。",
    "business-day": "銀行の営業日を指定してください（土日祝日と12月31日〜1月3日を除く）。",
    "within-window": "予約できる期間を超えています。",
    "not-in-the-past": "本日以降の日付を指定してください。",
    "zengin-master": "全銀協の金融機関・支店の一覧にありません。",
  },
  {
    required: "Enter this.",
    format: "The format is not correct.",
    "too-short": "Too short.",
    "too-long": "Too long.",
    length: "Not the right number of characters.",
    "too-small": "Too small.",
    "too-large": "Too large.",
    integer: "Enter a whole number.",
    "one-of": "Choose one of the options.",
    type: "Not valid.",
    "unknown-field": "This screen cannot send this item.",
    "above-contract-daily": "Above the contract's daily limit.",
    "above-daily": "Above the daily limit.",
    "business-day": "Choose a bank business day (not a weekend, a public holiday or 31 Dec to 3 Jan).",
    "within-window": "Later than a transfer can be scheduled.",
    "not-in-the-past": "Choose today or a later day.",
    "zengin-master": "Not in the Zengin list of banks and branches.",
  },
);

export const isFieldRule = (rule: unknown): rule is keyof typeof fieldRuleMessages.ja =>
  typeof rule === "string" && rule in fieldRuleMessages.ja;

/** The API's request fields as the reader knows them, for refusals that name a field no screen shows. */
export const apiFieldMessages = defineMessages(
  {
    amount: "金額",
    fromAccountId: "支払元口座",
    "payee.bankCode": "金融機関コード",
    "payee.branchCode": "支店コード",
    "payee.accountType": "預金種目",
    "payee.accountNumber": "口座番号",
    "payee.name": "受取人名",
    executionDate: "振込指定日",
    userId: "利用者ID",
    name: "氏名",
    email: "メールアドレス",
    initialPin: "初期ログオン暗証番号",
    initialConfirmationPin: "初期確認暗証番号",
    permissions: "業務権限",
    "limits.perTransfer": "1回あたりの振込限度額",
    "limits.daily": "1日あたりの振込限度額",
    confirmationPin: "確認暗証番号",
    currentPin: "現在のログオン暗証番号",
    currentConfirmationPin: "現在の確認暗証番号",
    newPin: "新しいログオン暗証番号",
    newConfirmationPin: "新しい確認暗証番号",
    code: "ワンタイムパスワード",
    contractId: "契約番号",
    pin: "ログオン暗証番号",
    body: "入力内容",
  },
  {
    amount: "Amount",
    fromAccountId: "Account to pay from",
    "payee.bankCode": "Bank code",
    "payee.branchCode": "Branch code",
    "payee.accountType": "Account type",
    "payee.accountNumber": "Account number",
    "payee.name": "Payee name",
    executionDate: "Execution date",
    userId: "User ID",
    name: "Name",
    email: "E-mail address",
    initialPin: "Initial logon PIN",
    initialConfirmationPin: "Initial confirmation PIN",
    permissions: "Permissions",
    "limits.perTransfer": "Limit per transfer",
    "limits.daily": "Daily limit",
    confirmationPin: "Confirmation PIN",
    currentPin: "Current logon PIN",
    currentConfirmationPin: "Current confirmation PIN",
    newPin: "New logon PIN",
    newConfirmationPin: "New confirmation PIN",
    code: "One-time password",
    contractId: "Contract ID",
    pin: "Logon PIN",
    body: "What you entered",
  },
);

export const isApiField = (field: unknown): field is keyof typeof apiFieldMessages.ja =>
  typeof field === "string" && field in apiFieldMessages.ja;
