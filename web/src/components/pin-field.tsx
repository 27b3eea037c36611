// A secret's input: always masked, never autofilled or kept by the browser, labelled for assistive
// technology. The software keyboard (references 001, 002) is offered beside it.
import { useId } from "preact/hooks";

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
}: PinFieldProps) => {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="password"
        value={value}
        autoComplete="off"
        autoCapitalize="off"
        spellcheck={false}
        inputMode={inputMode ?? "text"}
        maxLength={maxLength}
        required={required}
        aria-describedby={describedBy}
        onInput={(event) => onInput((event.target as HTMLInputElement).value)}
      />
    </div>
  );
};
