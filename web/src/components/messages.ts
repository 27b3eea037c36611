// The shared components' own words: the software keyboard, dialogs and form hints.
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
