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
