// A refusal from the API, in the reader's language, with the API's own detail beneath it: announced to
// screen readers (role="alert") and tied to the form it belongs to.
import type { ProblemDetails } from "../api.ts";
import { isProblemMessageKey, problemMessages } from "../i18n/common.ts";
import { useT } from "../i18n/index.ts";

export const ProblemAlert = ({ problem, id }: { problem: ProblemDetails | null; id?: string }) => {
  const t = useT(problemMessages);
  if (!problem) return null;
  const message = isProblemMessageKey(problem.slug) ? t(problem.slug) : t("internal");
  return (
    <div class="problem" role="alert" id={id} data-slug={problem.slug}>
      <p class="problem-message">{message}</p>
      {problem.detail ? <p class="problem-detail">{problem.detail}</p> : null}
    </div>
  );
};
