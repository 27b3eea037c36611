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
