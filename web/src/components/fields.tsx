// Plain inputs of the administrator's and settings screens, each with its <label>, and the loading of
// one API resource with its refusal.
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useId, useState } from "preact/hooks";
import { api, type ProblemDetails } from "../api.ts";
import { TextField as BaseTextField, type TextFieldProps } from "../components/text-field.tsx";

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

export interface Loaded<T> {
  readonly data: T | null;
  readonly problem: ProblemDetails | null;
  readonly loading: boolean;
  readonly reload: () => Promise<void>;
}

/** GET one resource now and on `reload`. */
export const useLoad = <T,>(path: string): Loaded<T> => {
  const [data, setData] = useState<T | null>(null);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [loading, setLoading] = useState(true);
  const reload = useCallback(async () => {
    setLoading(true);
    const answer = await api.get<T>(path);
    setLoading(false);
    if (answer.ok) {
      setData(answer.data);
      setProblem(null);
    } else setProblem(answer.problem);
  }, [path]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, problem, loading, reload };
};
