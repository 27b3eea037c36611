// The logon steps after the PIN, one screen each (design §3): the one-time password or the customer
// card, the first logon's new PINs, the administrator's software-token registration and activation, and
// a certificate contract's client certificate. While a step is pending nothing else is reachable.
import type { ComponentChildren } from "preact";
import { useEffect, useId, useState } from "preact/hooks";
import {
  type ActivatedToken,
  api,
  type IssuedPkcs12,
  type IssuedToken,
  type ProblemDetails,
  type StepAnswer,
} from "../api.ts";
import { ConfirmationPinField } from "../components/confirm-form.tsx";
import { PinField } from "../components/pin-field.tsx";
import { ProblemAlert } from "../components/problem-alert.tsx";
import { TextField } from "../components/text-field.tsx";
import { OtpSimulatorHint, ProvisionSimulatorHint } from "../components/token-simulator.tsx";
import { useT } from "../i18n/index.ts";
import { handleSessionProblem, logout, updateSession, useSession } from "../session.ts";
import { logonMessages } from "./messages.ts";

interface StepFrameProps {
  readonly step: string;
  readonly title: string;
  readonly lead: ComponentChildren;
  readonly children: ComponentChildren;
}

/** A step's screen: its heading, what it asks, its form, and a way out (logging off). */
const StepFrame = ({ step, title, lead, children }: StepFrameProps) => {
  const t = useT(logonMessages);
  const titleId = useId();
  return (
    <section class="panel logon-step" aria-labelledby={titleId} data-step={step}>
      <h1 id={titleId}>{title}</h1>
      <div class="lead">{lead}</div>
      {children}
      <p class="step-cancel">
        <button type="button" class="link-button" onClick={() => void logout()}>
          {t("cancelLogon")}
        </button>
      </p>
    </section>
  );
};

/** Sends a step's answer; the next pending step (or none) moves the console on. */
const useStep = () => {
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async (path: string, body: unknown, onProblem?: (problem: ProblemDetails) => boolean) => {
    setBusy(true);
    setProblem(null);
    const answer = await api.post<StepAnswer>(path, body);
    setBusy(false);
    if (answer.ok) {
      updateSession({ pending: answer.data.pending, card: null });
      return true;
    }
    if (!onProblem?.(answer.problem) && !handleSessionProblem(answer.problem)) setProblem(answer.problem);
    return false;
  };
  return { problem, setProblem, busy, send };
};

const digitsOnly = (value: string) => value.replace(/\D/g, "");

export const OtpStep = () => {
  const t = useT(logonMessages);
  const formId = useId();
  const [code, setCode] = useState("");
  const { problem, setProblem, busy, send } = useStep();
  const submit = async (event: Event) => {
    event.preventDefault();
    await send("/sessions/current/otp", { code }, (found) => {
      // A stopped token is refused with 423 while the session stays: say so and who resets it.
      if (found.slug === "locked" && found.stopped === "token") {
        setProblem(found);
        return true;
      }
      return false;
    });
    setCode("");
  };
  return (
    <StepFrame
      step="otp"
      title={t("otpTitle")}
      lead={
        <>
          <p>{t("otpLead")}</p>
          <OtpSimulatorHint />
        </>
      }
    >
      <form onSubmit={submit} name="otp" aria-describedby={problem ? `${formId}-problem` : undefined}>
        <PinField
          label={t("otp")}
          name="code"
          inputMode="numeric"
          maxLength={8}
          value={code}
          onInput={(value) => setCode(digitsOnly(value))}
          invalid={problem !== null}
          describedBy={problem ? `${formId}-problem` : undefined}
          autoFocus
        />
        <ProblemAlert problem={problem} id={`${formId}-problem`} lockedRole="token" />
        <button type="submit" class="primary" disabled={busy || code.length !== 8}>
          {busy ? t("sending") : t("next")}
        </button>
      </form>
    </StepFrame>
  );
};

export const CardStep = () => {
  const t = useT(logonMessages);
  const session = useSession();
  const formId = useId();
  const positions = session.card?.positions ?? [];
  const [answers, setAnswers] = useState<string[]>(positions.map(() => ""));
  const { problem, busy, send } = useStep();
  const submit = async (event: Event) => {
    event.preventDefault();
    await send("/sessions/current/card", { answers });
    setAnswers(positions.map(() => ""));
  };
  return (
    <StepFrame step="card" title={t("cardTitle")} lead={<p>{t("cardLead")}</p>}>
      <form onSubmit={submit} name="card" aria-describedby={problem ? `${formId}-problem` : undefined}>
        {positions.map((position, index) => (
          <PinField
            key={position}
            label={t("cardCell", { position })}
            name={`cell-${position}`}
            inputMode="numeric"
            maxLength={4}
            value={answers[index] ?? ""}
            onInput={(value) =>
              setAnswers(answers.map((old, at) => (at === index ? digitsOnly(value) : old)))
            }
            invalid={problem !== null}
            autoFocus={index === 0}
          />
        ))}
        <ProblemAlert problem={problem} id={`${formId}-problem`} />
        <button
          type="submit"
          class="primary"
          disabled={busy || positions.length === 0 || answers.some((answer) => answer.length !== 4)}
        >
          {busy ? t("sending") : t("next")}
        </button>
      </form>
    </StepFrame>
  );
};

export const SetPinsStep = () => {
  const t = useT(logonMessages);
  const formId = useId();
  const rulesId = `${formId}-rules`;
  const errorId = `${formId}-problem`;
  const [pins, setPins] = useState({ pin: "", pinAgain: "", confirmation: "", confirmationAgain: "" });
  const [mismatch, setMismatch] = useState<string | null>(null);
  const { problem, busy, send } = useStep();
  const submit = async (event: Event) => {
    event.preventDefault();
    if (pins.pin !== pins.pinAgain) return setMismatch(t("pinMismatch", { field: t("newPin") }));
    if (pins.confirmation !== pins.confirmationAgain)
      return setMismatch(t("pinMismatch", { field: t("newConfirmationPin") }));
    if (pins.pin === pins.confirmation) return setMismatch(t("pinsSame"));
    setMismatch(null);
    const done = await send("/sessions/current/pins", {
      newPin: pins.pin,
      newConfirmationPin: pins.confirmation,
    });
    if (done) setPins({ pin: "", pinAgain: "", confirmation: "", confirmationAgain: "" });
  };
  const field = (key: keyof typeof pins, label: string, which: "pin" | "confirmation") => (
    <PinField
      label={label}
      name={key}
      maxLength={12}
      value={pins[key]}
      onInput={(value) => setPins({ ...pins, [key]: value })}
      describedBy={[rulesId, mismatch || problem ? errorId : ""].filter(Boolean).join(" ")}
      invalid={
        mismatch !== null ||
        (problem?.slug === "pin-policy" &&
          (problem.field === undefined ||
            problem.field === (which === "pin" ? "newPin" : "newConfirmationPin")))
      }
    />
  );
  return (
    <StepFrame step="set-pins" title={t("setPinsTitle")} lead={<p>{t("setPinsLead")}</p>}>
      <p class="rules" id={rulesId}>
        {t("pinRules")}
      </p>
      <form onSubmit={submit} name="set-pins" aria-describedby={mismatch || problem ? errorId : undefined}>
        <fieldset>
          <legend>{t("newPin")}</legend>
          {field("pin", t("newPin"), "pin")}
          {field("pinAgain", t("newPinAgain"), "pin")}
        </fieldset>
        <fieldset>
          <legend>{t("newConfirmationPin")}</legend>
          <p class="hint">{t("confirmationPinPurpose")}</p>
          {field("confirmation", t("newConfirmationPin"), "confirmation")}
          {field("confirmationAgain", t("newConfirmationPinAgain"), "confirmation")}
        </fieldset>
        {mismatch ? (
          <div class="problem" role="alert" id={errorId} data-slug="mismatch">
            <p class="problem-message">{mismatch}</p>
          </div>
        ) : (
          <ProblemAlert problem={problem} id={errorId} />
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t("sending") : t("register")}
        </button>
      </form>
    </StepFrame>
  );
};

/**
 * The end of a step's form that changes something: the confirmation PIN, what was wrong (a local check
 * or the API's refusal), and the submit button.
 */
const ConfirmAndSend = (props: {
  confirmationPin: string;
  onInput: (value: string) => void;
  invalid: string | null;
  problem: ProblemDetails | null;
  errorId: string;
  busy: boolean;
  submitLabel: string;
}) => {
  const t = useT(logonMessages);
  const session = useSession();
  return (
    <>
      <ConfirmationPinField value={props.confirmationPin} onInput={props.onInput} problem={props.problem} />
      {props.invalid ? (
        <div class="problem" role="alert" id={props.errorId} data-slug="validation">
          <p class="problem-message">{props.invalid}</p>
        </div>
      ) : (
        <ProblemAlert
          problem={props.problem}
          id={props.errorId}
          lockedRole={session.principal?.userId ? "user" : "admin"}
        />
      )}
      <button type="submit" class="primary" disabled={props.busy}>
        {props.busy ? t("sending") : props.submitLabel}
      </button>
    </>
  );
};

export interface RegisterTokenProps {
  /** Shown inside another screen rather than as the logon step (no "cancel logon"). */
  readonly embedded?: boolean;
  /** Called once the token is active (embedded only; the logon step moves the session on itself). */
  readonly onActivated?: () => void;
}

const EmbeddedFrame = ({ step, title, lead, children }: StepFrameProps) => {
  const titleId = useId();
  return (
    <section class="panel" aria-labelledby={titleId} data-step={step}>
      <h2 id={titleId}>{title}</h2>
      <div class="lead">{lead}</div>
      {children}
    </section>
  );
};

/**
 * Applying for a software token and activating it: the `register-token` logon step, and (embedded) the
 * settings screen of a principal who has no token yet and wants one, e.g. to sign transfers.
 */
export const RegisterTokenStep = ({ embedded = false, onActivated }: RegisterTokenProps = {}) => {
  const Frame = embedded ? EmbeddedFrame : StepFrame;
  const t = useT(logonMessages);
  const formId = useId();
  const [phase, setPhase] = useState<"issue" | "issued" | "activate">("issue");
  const [issued, setIssued] = useState<Pick<IssuedToken, "serviceId" | "tokenId"> | null>(null);
  const [form, setForm] = useState({ email: "", activationPassword: "", confirmationPin: "" });
  const [code, setCode] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);
  const { problem, setProblem } = useStep();
  const [issuing, setIssuing] = useState(false);
  const issue = async (event: Event) => {
    event.preventDefault();
    if (!/^\d{4,8}$/.test(form.activationPassword)) return setInvalid(t("activationPasswordInvalid"));
    setInvalid(null);
    setIssuing(true);
    setProblem(null);
    const answer = await api.post<IssuedToken>("/me/token", {
      email: form.email.trim(),
      activationPassword: form.activationPassword,
      confirmationPin: form.confirmationPin,
    });
    setIssuing(false);
    setForm({ ...form, confirmationPin: "" });
    if (answer.ok) {
      setIssued({ serviceId: answer.data.serviceId, tokenId: answer.data.tokenId });
      setForm({ ...form, activationPassword: "", confirmationPin: "" });
      setPhase("issued");
    } else if (!handleSessionProblem(answer.problem)) setProblem(answer.problem);
  };
  const activate = async (event: Event) => {
    event.preventDefault();
    setProblem(null);
    // Activation clears the step; the answer names the step that follows (a certificate contract's), if any.
    setIssuing(true);
    const answer = await api.post<ActivatedToken>("/me/token/activate", { code });
    setIssuing(false);
    setCode("");
    if (answer.ok) {
      if (embedded) onActivated?.();
      else updateSession({ pending: answer.data.pending });
    } else if (!handleSessionProblem(answer.problem)) setProblem(answer.problem);
  };
  const errorId = `${formId}-problem`;
  if (phase === "issued" && issued) {
    return (
      <Frame step="register-token-issued" title={t("issuedTitle")} lead={<p>{t("issuedLead")}</p>}>
        <dl class="facts">
          <dt>{t("serviceId")}</dt>
          <dd data-testid="service-id">{issued.serviceId}</dd>
          <dt>{t("tokenId")}</dt>
          <dd data-testid="token-id">{issued.tokenId}</dd>
        </dl>
        <ProvisionSimulatorHint serviceId={issued.serviceId} tokenId={issued.tokenId} />
        <p>{t("issuedNext")}</p>
        <button type="button" class="primary" onClick={() => setPhase("activate")}>
          {t("toActivation")}
        </button>
      </Frame>
    );
  }
  if (phase === "activate") {
    return (
      <Frame step="activate-token" title={t("activateTitle")} lead={<p>{t("activateLead")}</p>}>
        <form onSubmit={activate} name="activate-token" aria-describedby={problem ? errorId : undefined}>
          <PinField
            label={t("otp")}
            name="code"
            inputMode="numeric"
            maxLength={8}
            value={code}
            onInput={(value) => setCode(digitsOnly(value))}
            invalid={problem !== null}
            describedBy={problem ? errorId : undefined}
            autoFocus
          />
          <ProblemAlert problem={problem} id={errorId} lockedRole="token" />
          <button type="submit" class="primary" disabled={issuing || code.length !== 8}>
            {issuing ? t("sending") : t("activate")}
          </button>
        </form>
      </Frame>
    );
  }
  return (
    <Frame step="register-token" title={t("tokenTitle")} lead={<p>{t("tokenLead")}</p>}>
      <form
        onSubmit={issue}
        name="register-token"
        aria-describedby={problem || invalid ? errorId : undefined}
      >
        <TextField
          label={t("mobileEmail")}
          name="email"
          type="email"
          inputMode="email"
          maxLength={254}
          value={form.email}
          onInput={(value) => setForm({ ...form, email: value })}
        />
        <PinField
          label={t("activationPassword")}
          hint={t("activationPasswordHint")}
          name="activationPassword"
          inputMode="numeric"
          maxLength={8}
          value={form.activationPassword}
          onInput={(value) => setForm({ ...form, activationPassword: digitsOnly(value) })}
          invalid={invalid !== null}
        />
        <ConfirmAndSend
          confirmationPin={form.confirmationPin}
          onInput={(value) => setForm({ ...form, confirmationPin: value })}
          invalid={invalid}
          problem={problem}
          errorId={errorId}
          busy={issuing}
          submitLabel={t("issue")}
        />
      </form>
      <p>
        <button type="button" class="link-button" onClick={() => setPhase("activate")}>
          {t("toActivation")}
        </button>
      </p>
    </Frame>
  );
};

const base64ToBytes = (base64: string): Uint8Array<ArrayBuffer> => {
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
};

export const CertificateStep = () => {
  const t = useT(logonMessages);
  const formId = useId();
  const [form, setForm] = useState({ password: "", passwordAgain: "", confirmationPin: "" });
  const [invalid, setInvalid] = useState<string | null>(null);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [busy, setBusy] = useState(false);
  const [file, setFile] = useState<{ name: string; url: string } | null>(null);
  useEffect(() => () => (file ? URL.revokeObjectURL(file.url) : undefined), [file]);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (form.password.length < 12) return setInvalid(t("pkcs12Short"));
    if (form.password !== form.passwordAgain) return setInvalid(t("pkcs12Mismatch"));
    setInvalid(null);
    setBusy(true);
    setProblem(null);
    const answer = await api.post<IssuedPkcs12>("/me/certificates/pkcs12", {
      password: form.password,
      confirmationPin: form.confirmationPin,
    });
    setBusy(false);
    setForm({ password: "", passwordAgain: "", confirmationPin: "" });
    if (!answer.ok) {
      if (!handleSessionProblem(answer.problem)) setProblem(answer.problem);
      return;
    }
    const name = `certificate-${answer.data.serialNumber.replace(/[^0-9A-Za-z]/g, "")}.p12`;
    const url = URL.createObjectURL(
      new Blob([base64ToBytes(answer.data.pkcs12)], { type: "application/x-pkcs12" }),
    );
    setFile({ name, url });
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.click();
  };
  const errorId = `${formId}-problem`;
  return (
    <StepFrame
      step="certificate"
      title={t("certificateTitle")}
      lead={
        <>
          <p>{t("certificateLead")}</p>
          <p>{t("certificateCsrNote")}</p>
        </>
      }
    >
      {file ? (
        <div class="notice" role="status" data-testid="pkcs12-done">
          <p>{t("pkcs12Done", { file: file.name })}</p>
          <p>
            <a href={file.url} download={file.name}>
              {t("pkcs12Download", { file: file.name })}
            </a>
          </p>
          <button type="button" class="primary" onClick={() => void logout()}>
            {t("logonAgain")}
          </button>
        </div>
      ) : (
        <form
          onSubmit={submit}
          name="certificate"
          aria-describedby={problem || invalid ? errorId : undefined}
        >
          <PinField
            label={t("pkcs12Password")}
            hint={t("pkcs12PasswordHint")}
            name="password"
            maxLength={128}
            softwareKeyboard={false}
            value={form.password}
            onInput={(value) => setForm({ ...form, password: value })}
            invalid={invalid !== null}
          />
          <PinField
            label={t("pkcs12PasswordAgain")}
            name="passwordAgain"
            maxLength={128}
            softwareKeyboard={false}
            value={form.passwordAgain}
            onInput={(value) => setForm({ ...form, passwordAgain: value })}
            invalid={invalid !== null}
          />
          <ConfirmAndSend
            confirmationPin={form.confirmationPin}
            onInput={(value) => setForm({ ...form, confirmationPin: value })}
            invalid={invalid}
            problem={problem}
            errorId={errorId}
            busy={busy}
            submitLabel={t("pkcs12Issue")}
          />
        </form>
      )}
    </StepFrame>
  );
};
