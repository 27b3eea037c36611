// The software keyboard (ソフトウェアキーボード, references 001 and 002): a fixed on-screen keyboard of
// digits and letters that types into a secret's field by clicks, so a key logger on the machine sees no
// keystrokes. Every key is a button: reachable with Tab, pressed with Enter or Space, named for screen
// readers without ever announcing what the field already holds.
import { useState } from "preact/hooks";
import { format, useT } from "../i18n/index.ts";
import { componentMessages } from "./messages.ts";

export interface SoftwareKeyboardProps {
  /** The field's label, to name the keyboard. */
  readonly fieldLabel: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  /** Digits only (one-time passwords, activation passwords) or digits and letters (PINs). */
  readonly digitsOnly?: boolean;
  readonly maxLength?: number | undefined;
  readonly id?: string;
}

const digitRow = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"];
const letterRows = ["qwertyuiop", "asdfghjkl", "zxcvbnm"].map((row) => [...row]);

export const SoftwareKeyboard = ({
  fieldLabel,
  value,
  onInput,
  digitsOnly = false,
  maxLength,
  id,
}: SoftwareKeyboardProps) => {
  const t = useT(componentMessages);
  const [upper, setUpper] = useState(false);
  const full = maxLength !== undefined && value.length >= maxLength;
  const type = (key: string) => {
    if (!full) onInput(value + key);
  };
  const key = (label: string) => {
    const shown = upper ? label.toUpperCase() : label;
    return (
      <button
        key={label}
        type="button"
        class="key"
        disabled={full}
        aria-label={t("keyboardKey", { key: shown })}
        data-key={shown}
        onClick={() => type(shown)}
      >
        {shown}
      </button>
    );
  };
  return (
    <fieldset class="software-keyboard" id={id}>
      <legend>{format(t("keyboardLabel"), { field: fieldLabel })}</legend>
      <p class="keyboard-hint">{t("keyboardHint")}</p>
      <div class="key-row">{digitRow.map(key)}</div>
      {digitsOnly
        ? null
        : letterRows.map((row) => (
            <div class="key-row" key={row.join("")}>
              {row.map(key)}
            </div>
          ))}
      <div class="key-row key-row-actions">
        {digitsOnly ? null : (
          <button type="button" class="key key-wide" aria-pressed={upper} onClick={() => setUpper(!upper)}>
            {t("keyboardShift")}: {upper ? t("keyboardShiftOn") : t("keyboardShiftOff")}
          </button>
        )}
        <button
          type="button"
          class="key key-wide"
          disabled={value === ""}
          data-key="backspace"
          onClick={() => onInput(value.slice(0, -1))}
        >
          {t("keyboardBackspace")}
        </button>
        <button
          type="button"
          class="key key-wide"
          disabled={value === ""}
          data-key="clear"
          onClick={() => onInput("")}
        >
          {t("keyboardClear")}
        </button>
      </div>
      <p class="keyboard-status" aria-live="polite">
        {t("entered", { count: value.length })}
        {full ? ` ${t("keyboardFull")}` : ""}
      </p>
    </fieldset>
  );
};
