// A labelled text input with its hint tied to it; the one way the console's forms ask for plain values.
import type { ComponentChildren } from "preact";
import { useId } from "preact/hooks";
import { FieldMessage } from "./form-errors.tsx";

export interface TextFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly name: string;
  readonly hint?: string;
  readonly type?: "text" | "email" | "password" | "date";
  readonly inputMode?: "numeric" | "text" | "email";
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly required?: boolean;
  readonly autoComplete?: string;
  readonly invalid?: boolean;
  /** What is wrong with the value, shown beside the field (the field is then marked invalid). */
  readonly error?: string | undefined;
  /** The field's width in characters, for a value of known length (a code, an account number). */
  readonly size?: number;
  readonly describedBy?: string;
  readonly onBlur?: () => void;
  readonly autoFocus?: boolean;
  readonly children?: ComponentChildren;
}

export const TextField = ({
  label,
  value,
  onInput,
  name,
  hint,
  type = "text",
  inputMode,
  maxLength,
  pattern,
  required = true,
  autoComplete = "off",
  invalid,
  error,
  size,
  describedBy,
  onBlur,
  autoFocus,
  children,
}: TextFieldProps) => {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const described =
    [hint ? hintId : undefined, error ? errorId : undefined, describedBy].filter(Boolean).join(" ") ||
    undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <FieldMessage id={errorId} message={error} />
      <input
        id={id}
        name={name}
        type={type as "text"}
        value={value}
        inputMode={inputMode}
        maxLength={maxLength}
        pattern={pattern}
        required={required}
        autoComplete={autoComplete}
        spellcheck={false}
        aria-invalid={invalid || error ? true : undefined}
        // As wide as its content (the stylesheet gives a sized field its own width), not the form's.
        size={size}
        aria-describedby={described}
        // biome-ignore lint/a11y/noAutofocus: the first field of a screen whose only purpose is this form
        autoFocus={autoFocus}
        onInput={(event) => onInput((event.target as HTMLInputElement).value)}
        onBlur={onBlur}
      />
      {children}
    </div>
  );
};
