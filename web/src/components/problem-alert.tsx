// A refusal from the API, in the reader's language and in the console's own words, built from the problem's
// fields (never its English `detail`): which secret was wrong and how many wrong entries are left before the
// lock, which limit a transfer would break with its amount and what is left of it, each field at fault, and
// who can resume a stopped principal. Announced to screen readers (role="alert"); inside a form it takes the
// focus, so the reader starts from it.
import type { ComponentChildren } from "preact";
import { useRef } from "preact/hooks";
import type { ProblemDetails } from "../api.ts";
import {
  apiFieldMessages,
  fieldRuleMessages,
  isApiField,
  isFieldRule,
  isPinRule,
  isProblemMessageKey,
  lockedMessages,
  pinRuleMessages,
  problemFieldMessages,
  problemMessages,
} from "../i18n/common.ts";
import { type Lang, useLang, useT } from "../i18n/index.ts";
import { useFocusWhenShown } from "./form-errors.tsx";
import { formatYen } from "./format.ts";

export interface ProblemAlertProps {
  readonly problem: ProblemDetails | null;
  readonly id?: string;
  /** Whose stop a 423 `locked` is about, to say who can resume it (the administrator, or the bank). */
  readonly lockedRole?: "admin" | "user" | "token";
  /** The screen's own first line for this problem, in place of the slug's usual message. */
  readonly message?: string | null;
  /** The labels of the fields this screen shows, by the API's field name, for `errors`. */
  readonly fieldLabels?: Readonly<Record<string, string>>;
  /** More words of the screen, under the message. */
  readonly children?: ComponentChildren;
}

const limitKinds = ["per-transfer", "daily", "contract-daily"] as const;

/** The problem's fields as sentences of the reader's language. */
export const useProblemFacts = () => {
  const f = useT(problemFieldMessages);
  const r = useT(fieldRuleMessages);
  const a = useT(apiFieldMessages);
  const lang = useLang();
  return (problem: ProblemDetails, fieldLabels: Readonly<Record<string, string>> = {}) => {
    const facts: string[] = [];
    if (typeof problem.attemptsLeft === "number")
      facts.push(
        problem.attemptsLeft > 0 ? f("attemptsLeft", { count: problem.attemptsLeft }) : f("attemptsNone"),
      );
    if (problem.limit) facts.push(limitText(f, lang, problem.limit));
    const errors = (problem.errors ?? []).map((error) => ({
      label: fieldLabels[error.field] ?? (isApiField(error.field) ? a(error.field) : a("body")),
      message: isFieldRule(error.rule) ? r(error.rule) : r("type"),
    }));
    return { facts, errors };
  };
};

const limitText = (
  f: ReturnType<typeof useT<keyof typeof problemFieldMessages.ja>>,
  lang: Lang,
  limit: NonNullable<ProblemDetails["limit"]>,
): string => {
  const kind = (limitKinds as readonly string[]).includes(limit.kind) ? `limit-${limit.kind}` : "limit-other";
  return f(limit.kind === "per-transfer" ? "limitOnly" : "limit", {
    kind: f(kind as "limit-other"),
    amount: formatYen(limit.amount, lang),
    remaining: formatYen(limit.remaining, lang),
  });
};

export const ProblemAlert = ({
  problem,
  id,
  lockedRole,
  message: own,
  fieldLabels,
  children,
}: ProblemAlertProps) => {
  const t = useT(problemMessages);
  const rule = useT(pinRuleMessages);
  const locked = useT(lockedMessages);
  const f = useT(problemFieldMessages);
  const explain = useProblemFacts();
  const ref = useRef<HTMLDivElement>(null);
  useFocusWhenShown(ref, problem);
  if (!problem) return null;
  const message = own ?? (isProblemMessageKey(problem.slug) ? t(problem.slug) : t("internal"));
  const more =
    problem.slug === "pin-policy" && isPinRule(problem.rule)
      ? rule(problem.rule)
      : problem.slug === "locked" && lockedRole
        ? locked(`locked-${lockedRole}`)
        : null;
  const { facts, errors } = explain(problem, fieldLabels);
  // A PIN-policy rule is already said in full above; its `errors` entry would say it again.
  const listed = problem.slug === "pin-policy" ? [] : errors;
  return (
    <div class="problem" role="alert" id={id} data-slug={problem.slug} ref={ref} tabIndex={-1}>
      <p class="problem-message">{message}</p>
      {more ? <p class="problem-more">{more}</p> : null}
      {facts.map((fact) => (
        <p class="problem-more" key={fact} data-testid="problem-fact">
          {fact}
        </p>
      ))}
      {listed.length > 0 ? (
        <ul class="problem-fields">
          {listed.map((error) => (
            <li key={`${error.label}-${error.message}`}>
              {f("fieldError", { field: error.label, message: error.message })}
            </li>
          ))}
        </ul>
      ) : null}
      {children}
      {problem.correlationId && problem.status >= 500 ? (
        <p class="problem-detail">{f("correlationId", { id: problem.correlationId })}</p>
      ) : null}
    </div>
  );
};
