// A transfer's approvals as its tier asks for them: each step (一次承認 … 最終承認) with who gave it and
// when, the steps still missing, and whose turn is next.
import type { Transfer } from "../api.ts";
import { formatDateTime } from "../components/format.ts";
import { type Translate, useLang, useT } from "../i18n/index.ts";
import { approvalMessages } from "./approval-messages.ts";
import { staffMessages } from "./messages.ts";
import { actorLabel } from "./shared.tsx";

type Approvals = NonNullable<Transfer["approvals"]>;
type Key = Parameters<Translate<keyof typeof approvalMessages.ja>>[0];

const slotKeys = ["slot0", "slot1", "slot2", "slot3"] as const;

/** The name of step `index` of `required`: the only one, the last (最終承認), or first, second … */
export const slotName = (index: number, required: number): Key =>
  required === 1 ? "slotOnly" : index === required - 1 ? "slotFinal" : (slotKeys[index] ?? "slot3");

/** `1/2`: approvals given of those its tier needs. */
export const ApprovalCount = ({ approvals }: { approvals: Transfer["approvals"] }) => {
  const t = useT(approvalMessages);
  if (!approvals) return <span>—</span>;
  return (
    <span data-testid="approval-count">
      {t("count", { given: approvals.given.length, required: approvals.required })}
    </span>
  );
};

/** What the tier asks: how many, in turn or not, and the administrator's part. */
const ruleOf = (approvals: Approvals, t: Translate<Key>, gap: string): string =>
  [
    t("ruleCount", { required: approvals.required }),
    approvals.ordered ? t("ruleOrdered") : "",
    approvals.lastBy === "admin" ? t(approvals.ordered ? "ruleAdminLast" : "ruleAdminAny") : "",
  ]
    .filter(Boolean)
    .join(gap);

export const ApprovalSteps = ({ transfer }: { transfer: Transfer }) => {
  const t = useT(approvalMessages);
  const s = useT(staffMessages);
  const lang = useLang();
  const approvals = transfer.approvals;
  if (!approvals) return null;
  const open = transfer.status === "awaiting-approval";
  // Japanese sentences follow one another without a space.
  const gap = lang === "ja" ? "" : " ";
  return (
    <section class="panel" aria-labelledby="approval-steps-title" data-testid="approval-steps">
      <h2 id="approval-steps-title">{t("stepsTitle")}</h2>
      <p>{ruleOf(approvals, t, gap)}</p>
      <ol class="approval-steps">
        {Array.from({ length: approvals.required }, (_, index) => {
          const given = approvals.given[index];
          const administrators =
            approvals.lastBy === "admin" && approvals.ordered && index === approvals.required - 1;
          return (
            <li key={index} data-slot={index} data-given={given ? "yes" : "no"}>
              <strong>{t(slotName(index, approvals.required))}</strong>
              {"："}
              {given
                ? `${actorLabel({ ...given.by, at: given.at }, s("admin"))}（${formatDateTime(given.at, lang)}）`
                : t(administrators ? "notYetAdmin" : "notYet")}
            </li>
          );
        })}
      </ol>
      {open ? (
        <p data-testid="approvals-missing">
          {[
            t("missing", { count: approvals.missing }),
            approvals.next === "administrator" ? t("nextAdministrator") : "",
            approvals.next === "users" ? t("nextUsers") : "",
            approvals.mine ? t("yourTurn") : "",
          ]
            .filter(Boolean)
            .join(gap)}
        </p>
      ) : approvals.missing === 0 ? (
        <p>{t("complete")}</p>
      ) : null}
    </section>
  );
};
