// A refused form, as the reader needs it: every field at fault at once, each beside its field and listed in
// an error summary that takes the focus (so a screen reader reads it and the keyboard starts there), with a
// link per field that moves the focus to it.
import type { RefObject } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";
import { problemFieldMessages } from "../i18n/common.ts";
import { useT } from "../i18n/index.ts";

/** One field at fault: the form control's `name`, its label and what is wrong with it. */
export interface FieldError {
  readonly field: string;
  readonly label: string;
  readonly message: string;
  /** The message names the field itself (「金額は…」): the summary shows it without the label before it. */
  readonly named?: boolean;
}

/**
 * Moves the focus to `ref` whenever `key` changes to something shown, when the element is inside a form:
 * a refusal of what the reader just sent is where the reader goes next. A refusal of a page's load is not.
 * The focus moves as the refusal is drawn, not after the next paint: a reader who starts typing again at
 * once (or a test) would otherwise have the focus taken from the field mid-word, and the keys lost.
 */
export const useFocusWhenShown = (ref: RefObject<HTMLElement | null>, key: unknown): void => {
  useLayoutEffect(() => {
    const element = ref.current;
    if (key && element?.closest("form")) element.focus();
  }, [key]);
};

/** The focusable control named `field` in the form that holds `from`. */
const fieldControl = (from: Element | null, field: string): HTMLElement | null =>
  from?.closest("form")?.querySelector<HTMLElement>(`[name="${CSS.escape(field)}"]`) ?? null;

export const ErrorSummary = ({ errors, id }: { errors: readonly FieldError[]; id?: string }) => {
  const t = useT(problemFieldMessages);
  const ref = useRef<HTMLDivElement>(null);
  // A new array for every refused send: the focus returns to the summary each time.
  useFocusWhenShown(ref, errors.length > 0 ? errors : null);
  if (errors.length === 0) return null;
  return (
    <div
      class="problem error-summary"
      role="alert"
      id={id}
      ref={ref}
      tabIndex={-1}
      data-slug="validation"
      data-testid="error-summary"
    >
      <p class="problem-message">{t("summaryTitle", { count: errors.length })}</p>
      <ul>
        {errors.map((error) => (
          <li key={error.field}>
            <a
              href={`#${error.field}`}
              onClick={(event) => {
                // The console's routes are in the hash: the link moves the focus, never the route.
                event.preventDefault();
                fieldControl(ref.current, error.field)?.focus();
              }}
            >
              {error.named ? error.message : t("fieldError", { field: error.label, message: error.message })}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
};

/** The message beside a field, tied to it by `aria-describedby`. */
export const FieldMessage = ({ id, message }: { id: string; message: string | undefined }) =>
  message ? (
    <p class="field-error" id={id}>
      {message}
    </p>
  ) : null;
