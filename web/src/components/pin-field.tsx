// A secret's input: always masked, never autofilled or kept by the browser, labelled for assistive
// technology. The software keyboard (references 001, 002) is offered beside it behind a toggle.
import { useId, useState } from "preact/hooks";
import { useT } from "../i18n/index.ts";
import { componentMessages } from "./messages.ts";
import { SoftwareKeyboard } from "./software-keyboard.tsx";

export interface PinFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  /** The field's name in the form (and its test handle). */
  readonly name: string;
  readonly describedBy?: string;
  readonly inputMode?: "numeric" | "text";
  readonly maxLength?: number;
  readonly required?: boolean;
  /** A hint under the label (the rules of this secret), tied to the input. */
  readonly hint?: string;
  /** Offer the software keyboard (default true); digits only when `inputMode` is numeric. */
  readonly softwareKeyboard?: boolean;
  /** Marks the input invalid (the form's error names it). */
  readonly invalid?: boolean;
  readonly autoFocus?: boolean;
}

export const PinField = ({
  label,
  value,
  onInput,
  name,
  describedBy,
  inputMode,
  maxLength,
  required = true,
  hint,
  softwareKeyboard = true,
  invalid,
  autoFocus,
}: PinFieldProps) => {
  const t = useT(componentMessages);
  const id = useId();
  const hintId = `${id}-hint`;
  const keyboardId = `${id}-keyboard`;
  const [keyboardOpen, setKeyboardOpen] = useState(false);
  const described = [hint ? hintId : undefined, describedBy].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field pin-field">
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <div class="pin-input-row">
        <input
          id={id}
          name={name}
          type="password"
          value={value}
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellcheck={false}
          inputMode={inputMode ?? "text"}
          maxLength={maxLength}
          required={required}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={described}
          // biome-ignore lint/a11y/noAutofocus: the first field of a logon step, as every bank's logon does
          autoFocus={autoFocus}
          onInput={(event) => onInput((event.target as HTMLInputElement).value)}
        />
        {softwareKeyboard ? (
          <button
            type="button"
            class="keyboard-toggle"
            aria-expanded={keyboardOpen}
            aria-controls={keyboardId}
            data-keyboard-toggle={name}
            onClick={() => setKeyboardOpen(!keyboardOpen)}
          >
            {keyboardOpen ? t("keyboardHide") : t("keyboardShow")}
          </button>
        ) : null}
      </div>
      {softwareKeyboard && keyboardOpen ? (
        <SoftwareKeyboard
          id={keyboardId}
          fieldLabel={label}
          value={value}
          onInput={onInput}
          digitsOnly={inputMode === "numeric"}
          maxLength={maxLength}
        />
      ) : null}
    </div>
  );
};
