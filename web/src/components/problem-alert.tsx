// A refusal from the API, in the reader's language, with the API's own detail beneath it: announced to
// screen readers (role="alert") and tied to the form it belongs to. A PIN-policy refusal names the rule;
// a stopped principal is told who can resume it.
import type { ComponentChildren } from "preact";
import type { ProblemDetails } from "../api.ts";
import {
  isPinRule,
  isProblemMessageKey,
  lockedMessages,
  pinRuleMessages,
  problemMessages,
} from "../i18n/common.ts";
import { useT } from "../i18n/index.ts";

export interface ProblemAlertProps {
  readonly problem: ProblemDetails | null;
  readonly id?: string;
  /** Whose stop a 423 `locked` is about, to say who can resume it (the administrator, or the bank). */
  readonly lockedRole?: "admin" | "user" | "token";
  /** More words of the screen, under the message. */
  readonly children?: ComponentChildren;
}

export const ProblemAlert = ({ problem, id, lockedRole, children }: ProblemAlertProps) => {
  const t = useT(problemMessages);
  const rule = useT(pinRuleMessages);
  const locked = useT(lockedMessages);
  if (!problem) return null;
  const message = isProblemMessageKey(problem.slug) ? t(problem.slug) : t("internal");
  const more =
    problem.slug === "pin-policy" && isPinRule(problem.rule)
      ? rule(problem.rule)
      : problem.slug === "locked" && lockedRole
        ? locked(`locked-${lockedRole}`)
        : null;
  return (
    <div class="problem" role="alert" id={id} data-slug={problem.slug}>
      <p class="problem-message">{message}</p>
      {more ? <p class="problem-more">{more}</p> : null}
      {children}
      {problem.detail ? (
        <p class="problem-detail" lang="en">
          {problem.detail}
        </p>
      ) : null}
    </div>
  );
};
