// Plain inputs of the forms that change something (administrator, settings), each with its <label>, and
// the sections those screens are made of.
import type { ComponentChildren } from "preact";
import { useId } from "preact/hooks";
import { TextField as BaseTextField, type TextFieldProps } from "./text-field.tsx";

/** The console's text field; on these screens the form's own check says what is missing. */
export const TextField = (props: TextFieldProps) => <BaseTextField required={false} {...props} />;

export const CheckField = ({
  label,
  name,
  checked,
  onChange,
  hint,
  value,
}: {
  label: string;
  name: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string;
  value?: string;
}) => {
  const id = useId();
  const hintId = useId();
  return (
    <div class="check-field">
      <input
        id={id}
        type="checkbox"
        name={name}
        value={value}
        checked={checked}
        aria-describedby={hint ? hintId : undefined}
        onChange={(event) => onChange((event.target as HTMLInputElement).checked)}
      />
      <label for={id}>
        {label}
        {hint ? (
          <span class="admin-hint" id={hintId}>
            {hint}
          </span>
        ) : null}
      </label>
    </div>
  );
};

export const Section = ({
  title,
  children,
  tone,
}: {
  title: string;
  children: ComponentChildren;
  tone?: "danger";
}) => {
  const id = useId();
  return (
    <section class={tone === "danger" ? "admin-section danger" : "admin-section"} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
};

/** A period to filter a list by: two dates (YYYY-MM-DD, either may be empty), each with its label. */
export const DateRangeFields = ({
  from,
  to,
  labels,
  onFrom,
  onTo,
}: {
  from: string;
  to: string;
  labels: { from: string; to: string };
  onFrom: (value: string) => void;
  onTo: (value: string) => void;
}) => {
  const id = useId();
  const date = (name: "from" | "to", value: string, onInput: (value: string) => void) => (
    <div class="field">
      <label for={`${id}-${name}`}>{labels[name]}</label>
      <input
        id={`${id}-${name}`}
        type="date"
        name={name}
        value={value}
        onInput={(ev) => onInput((ev.target as HTMLInputElement).value)}
      />
    </div>
  );
  return (
    <>
      {date("from", from, onFrom)}
      {date("to", to, onTo)}
    </>
  );
};
