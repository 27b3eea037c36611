// The shared components' own words: the software keyboard, dialogs, form hints, and the confirmation every
// change asks for.
import { defineMessages } from "../i18n/index.ts";

export const componentMessages = defineMessages(
  {
    keyboardShow: "ソフトウェアキーボードを表示",
    keyboardHide: "ソフトウェアキーボードを閉じる",
    keyboardLabel: "{field}のソフトウェアキーボード",
    keyboardHint: "キーをクリックすると入力欄に入力されます（入力内容は表示されません）。",
    keyboardShift: "大文字・小文字の切替",
    keyboardShiftOn: "大文字",
    keyboardShiftOff: "小文字",
    keyboardBackspace: "1文字削除",
    keyboardClear: "すべて消去",
    keyboardKey: "{key} を入力",
    keyboardFull: "最大桁数まで入力されています。",
    entered: "{count}文字入力済み",
    required: "必須",
    close: "閉じる",
    loading: "読み込み中…",
  },
  {
    keyboardShow: "Show the software keyboard",
    keyboardHide: "Close the software keyboard",
    keyboardLabel: "Software keyboard for {field}",
    keyboardHint: "Click the keys to type into the field (what you type is not shown).",
    keyboardShift: "Switch upper and lower case",
    keyboardShiftOn: "Upper case",
    keyboardShiftOff: "Lower case",
    keyboardBackspace: "Delete one character",
    keyboardClear: "Clear all",
    keyboardKey: "Type {key}",
    keyboardFull: "The field is full.",
    entered: "{count} characters entered",
    required: "required",
    close: "Close",
    loading: "Loading…",
  },
);

/** The confirmation step every change passes, and the refusals it explains. */
export const confirmMessages = defineMessages(
  {
    confirmPinAdmin: "ご契約先確認暗証番号",
    confirmPinUser: "利用者確認暗証番号",
    confirmPinHint: "内容をご確認のうえ、確認暗証番号を入力して確定してください。",
    sending: "送信中…",
    wrongConfirmationPin: "確認暗証番号が正しくありません。変更は行われていません。",
    wrongCurrentPin: "現在の暗証番号が正しくありません。変更は行われていません。",
    lockedAdmin:
      "暗証番号を続けて誤ったため、管理者のご利用が停止されました。ご契約全体が停止しています。再開は銀行のみが行えますので、銀行にご連絡ください。",
    lockedUser: "暗証番号を続けて誤ったため、ご利用が停止されました。管理者に解除を依頼してください。",
    contractStopped: "ご契約全体が停止されています。再開は銀行のみが行えます。",
    wrongCode: "ワンタイムパスワードが正しくありません。",
    lockoutWarning: "{count}回続けて誤るとご利用が停止されます。",
    backToLogon: "ログオン画面へ戻る",
    pinRuleField: "対象: {field}",
    checkFirst: "入力内容をご確認ください。",
  },
  {
    confirmPinAdmin: "Contract confirmation PIN",
    confirmPinUser: "User confirmation PIN",
    confirmPinHint: "Check the details, then enter your confirmation PIN to confirm.",
    sending: "Sending…",
    wrongConfirmationPin: "The confirmation PIN is not correct. Nothing was changed.",
    wrongCurrentPin: "The current PIN is not correct. Nothing was changed.",
    lockedAdmin:
      "After repeated wrong entries the administrator is stopped, and with it the whole contract. Only the bank can resume it: please contact the bank.",
    lockedUser: "After repeated wrong entries your use is stopped. Ask your administrator to unlock you.",
    contractStopped: "The whole contract is stopped. Only the bank can resume it.",
    wrongCode: "The one-time password is not correct.",
    lockoutWarning: "{count} wrong entries in a row stop your use.",
    backToLogon: "Back to logon",
    pinRuleField: "Field: {field}",
    checkFirst: "Please check what you entered.",
  },
);
