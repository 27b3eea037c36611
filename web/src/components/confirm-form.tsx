// The confirmation every change asks for, on every screen that changes something (design §3): the
// change's own fields, the principal's confirmation PIN, one submit, and the API's refusal in words the
// reader can act on — a wrong confirmation PIN changed nothing and how many wrong ones stop the principal,
// a lock says who can lift it. The PIN is forgotten after each send.
import type { ComponentChildren } from "preact";
import { useId, useRef, useState } from "preact/hooks";
import type { ApiResult, ProblemDetails } from "../api.ts";
import { useT } from "../i18n/index.ts";
import { endSession, useSession } from "../session.ts";
import { ErrorSummary, type FieldError, useFocusWhenShown } from "./form-errors.tsx";
import { confirmMessages } from "./messages.ts";
import { PinField } from "./pin-field.tsx";
import { ProblemAlert } from "./problem-alert.tsx";

/** A short message announced to assistive technology: a change done, or a list refreshed. */
export const Notice = ({ text }: { text: string | null }) =>
  text ? (
    <p class="admin-notice" role="status">
      {text}
    </p>
  ) : null;

/** An error found before anything was sent, announced like the API's refusals. */
export const LocalError = ({ text, id }: { text: string | null; id?: string }) => {
  const ref = useRef<HTMLDivElement>(null);
  useFocusWhenShown(ref, text);
  return text ? (
    <div class="problem" role="alert" id={id} data-slug="local" ref={ref} tabIndex={-1}>
      <p class="problem-message">{text}</p>
    </div>
  ) : null;
};

/**
 * The API's refusal of a change. `wrongSecret` says which secret a 403 `invalid-credentials` was about
 * (the confirmation PIN, the current PIN of a PIN change, or a one-time password).
 */
export const ChangeRefusal = ({
  problem,
  wrongSecret = "confirmation",
}: {
  problem: ProblemDetails | null;
  wrongSecret?: "confirmation" | "current" | "code";
}) => {
  const t = useT(confirmMessages);
  const { me } = useSession();
  if (!problem) return null;
  if (problem.status === 403 && problem.slug === "invalid-credentials") {
    const wrong = t(
      wrongSecret === "confirmation"
        ? "wrongConfirmationPin"
        : wrongSecret === "current"
          ? "wrongCurrentPin"
          : "wrongCode",
    );
    // The wrong entries left come with the refusal (`attemptsLeft`); an older API's refusal without
    // them is told the deployment's threshold (GET /v1/me), never a number written here.
    const threshold = me?.contract.lockoutThreshold;
    return (
      <ProblemAlert problem={problem} message={wrong}>
        {problem.attemptsLeft === undefined && threshold ? (
          <p class="problem-more">{t("lockoutWarning", { count: threshold })}</p>
        ) : null}
      </ProblemAlert>
    );
  }
  if (problem.status === 423) {
    const message =
      problem.slug === "contract-stopped" || me?.role === "admin"
        ? problem.slug === "contract-stopped"
          ? t("contractStopped")
          : t("lockedAdmin")
        : t("lockedUser");
    return (
      <ProblemAlert problem={problem} message={message}>
        <button type="button" onClick={() => endSession(problem.slug)}>
          {t("backToLogon")}
        </button>
      </ProblemAlert>
    );
  }
  return <ProblemAlert problem={problem} />;
};

/**
 * The principal's confirmation PIN, as every change asks for it (a change here, a logon step, a transfer's
 * signature): named for whose it is, the contract's (administrator) or the user's, and marked wrong after
 * a 403 `invalid-credentials`.
 */
export const ConfirmationPinField = ({
  value,
  onInput,
  problem = null,
  describedBy,
}: {
  value: string;
  onInput: (value: string) => void;
  problem?: ProblemDetails | null;
  describedBy?: string | undefined;
}) => {
  const t = useT(confirmMessages);
  const { me, principal } = useSession();
  // During the logon steps there is no GET /v1/me yet: who logged on says it (no user ID: the administrator).
  const administrator = me ? me.role === "admin" : principal?.userId === null;
  return (
    <PinField
      label={administrator ? t("confirmPinAdmin") : t("confirmPinUser")}
      name="confirmationPin"
      maxLength={64}
      value={value}
      onInput={onInput}
      invalid={problem?.slug === "invalid-credentials"}
      describedBy={describedBy}
    />
  );
};

export interface ConfirmFormProps<T> {
  /** The form's name: its accessible name's handle and the test's. */
  readonly name: string;
  /** Read out as the form's name. */
  readonly title: string;
  readonly submitLabel: string;
  readonly danger?: boolean;
  /** The change's own fields, shown above the confirmation PIN. */
  readonly children?: ComponentChildren;
  /**
   * A refusal found before sending, in the reader's language: one message, or every field at fault (shown
   * at once in an error summary); null when the change may go.
   */
  readonly check?: () => string | readonly FieldError[] | null;
  readonly send: (confirmationPin: string) => Promise<ApiResult<T>>;
  readonly onDone: (data: T) => void;
  /** Turns a refusal into a message of this screen's own (e.g. 409 on a taken user ID); null for the usual. */
  readonly explain?: (problem: ProblemDetails) => string | null;
}

export const ConfirmForm = <T,>({
  name,
  title,
  submitLabel,
  danger = false,
  children,
  check,
  send,
  onDone,
  explain,
}: ConfirmFormProps<T>) => {
  const t = useT(confirmMessages);
  const hintId = useId();
  const [pin, setPin] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<readonly FieldError[]>([]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const refusal = check?.() ?? null;
    const errors = Array.isArray(refusal) ? (refusal as readonly FieldError[]) : [];
    setFieldErrors(errors);
    setLocalError(typeof refusal === "string" ? refusal : null);
    setProblem(null);
    if (refusal && (typeof refusal === "string" || errors.length > 0)) return;
    setBusy(true);
    const confirmationPin = pin;
    setPin("");
    const result = await send(confirmationPin);
    setBusy(false);
    if (result.ok) onDone(result.data);
    else {
      const own = explain?.(result.problem) ?? null;
      if (own) setLocalError(own);
      else setProblem(result.problem);
    }
  };

  return (
    <form
      class={danger ? "confirm-form danger" : "confirm-form"}
      name={name}
      aria-label={title}
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      {children}
      <p class="admin-hint" id={hintId}>
        {t("confirmPinHint")}
      </p>
      <ConfirmationPinField value={pin} onInput={setPin} describedBy={hintId} />
      <ErrorSummary errors={fieldErrors} />
      <LocalError text={localError} />
      <ChangeRefusal problem={problem} />
      <button type="submit" class={danger ? "primary danger" : "primary"} disabled={busy}>
        {busy ? t("sending") : submitLabel}
      </button>
    </form>
  );
};
