// The administrator's approval policy (承認ルール, design §11): per kind of payment, tiers by amount with
// the approvals each needs, in turn or not, and whether the administrator's approval is one of them; set
// with the contract confirmation PIN. Transfers already signed keep theirs, as the screen says.
import { useState } from "preact/hooks";
import { type ApprovalPolicy, type ApprovalTier, api, type ProblemDetails } from "../api.ts";
import { ConfirmForm, Notice } from "../components/confirm-form.tsx";
import { CheckField, Section } from "../components/fields.tsx";
import { useApiData } from "../components/use-api-data.ts";
import { type Translate, useLang, useT } from "../i18n/index.ts";
import { Loading } from "../staff/shared.tsx";
import { approvalPolicyMessages } from "./approval-policy-messages.ts";

type Key = Parameters<Translate<keyof typeof approvalPolicyMessages.ja>>[0];
type Kind = keyof ApprovalPolicy;
const kinds: readonly { kind: Kind; label: Key }[] = [
  { kind: "single", label: "kindSingle" },
  { kind: "bulk", label: "kindBulk" },
  { kind: "salary", label: "kindSalary" },
];

/** A tier as edited: the upper bound as typed (the last tier has none). */
interface Row {
  upTo: string;
  approvals: number;
  ordered: boolean;
  admin: boolean;
}
type Draft = Record<Kind, Row[]>;

const rowsOf = (tiers: readonly ApprovalTier[]): Row[] =>
  tiers.map((tier) => ({
    upTo: tier.upTo === null ? "" : String(tier.upTo),
    approvals: tier.approvals,
    ordered: tier.ordered,
    admin: tier.lastBy === "admin",
  }));

const draftOf = (policy: ApprovalPolicy): Draft => ({
  single: rowsOf(policy.single),
  bulk: rowsOf(policy.bulk),
  salary: rowsOf(policy.salary),
});

const toTiers = (rows: readonly Row[]): ApprovalTier[] =>
  rows.map((row, index) => ({
    upTo: index === rows.length - 1 ? null : Number(row.upTo),
    approvals: row.approvals,
    ordered: row.ordered,
    lastBy: row.admin ? "admin" : null,
  }));

const wholeYen = (text: string) => /^\d{1,13}$/.test(text) && Number(text) >= 1;

/** The first thing wrong with the draft that can be told before sending, in the reader's words. */
const draftError = (draft: Draft, t: Translate<Key>): string | null => {
  for (const { kind, label } of kinds) {
    const rows = draft[kind];
    let previous = 0;
    for (const [index, row] of rows.entries()) {
      if (index === rows.length - 1) break;
      if (!wholeYen(row.upTo)) return t("errUpTo", { kind: t(label), index: index + 1 });
      if (Number(row.upTo) <= previous) return t("errAscending", { kind: t(label) });
      previous = Number(row.upTo);
    }
  }
  return null;
};

const ruleKey = (rule: string): Key =>
  rule === "ascending"
    ? "ruleAscending"
    : rule === "approvals-range"
      ? "ruleApprovals"
      : rule === "last-open-ended" || rule === "open-ended-before-last"
        ? "ruleLast"
        : "ruleOther";

/** The API's validation refusal, field by field (`single[1].upTo` → 振込（都度）の2段目). */
const explainErrors = (problem: ProblemDetails, t: Translate<Key>): string | null => {
  if (problem.slug !== "validation" || !Array.isArray(problem.errors)) return null;
  const lines = problem.errors.flatMap((error) => {
    const match = /^(single|bulk|salary)\[(\d+)\]/.exec(String(error.field));
    const kind = kinds.find((each) => each.kind === match?.[1]);
    if (!match || !kind) return [];
    return [
      t("errServer", {
        kind: t(kind.label),
        index: Number(match[2]) + 1,
        rule: t(ruleKey(String(error.rule))),
      }),
    ];
  });
  return lines.length > 0 ? lines.join(" ") : null;
};

const TierRow = ({
  kind,
  index,
  rows,
  onChange,
  onRemove,
}: {
  kind: Kind;
  index: number;
  rows: readonly Row[];
  onChange: (row: Row) => void;
  onRemove: () => void;
}) => {
  const t = useT(approvalPolicyMessages);
  const lang = useLang();
  const row = rows[index] as Row;
  const last = index === rows.length - 1;
  const before = index > 0 ? rows[index - 1]?.upTo : undefined;
  const name = `${kind}-${index}`;
  return (
    <fieldset class="admin-fieldset" data-tier={name}>
      <legend>{t("tier", { index: index + 1 })}</legend>
      <div class="field-row">
        <div class="field">
          {last ? (
            <p data-testid={`${name}-open`}>
              {before && wholeYen(before)
                ? t("from", { amount: Number(before).toLocaleString(lang === "ja" ? "ja-JP" : "en-US") })
                : t("noUpperBound")}
            </p>
          ) : (
            <>
              <label for={`${name}-upTo`}>{t("upTo")}</label>
              <input
                id={`${name}-upTo`}
                name={`${name}-upTo`}
                inputMode="numeric"
                value={row.upTo}
                onInput={(event) =>
                  onChange({ ...row, upTo: (event.target as HTMLInputElement).value.replace(/\D/g, "") })
                }
              />
            </>
          )}
        </div>
        <div class="field">
          <label for={`${name}-approvals`}>{t("approvals")}</label>
          <select
            id={`${name}-approvals`}
            name={`${name}-approvals`}
            value={String(row.approvals)}
            onChange={(event) =>
              onChange({ ...row, approvals: Number((event.target as HTMLSelectElement).value) })
            }
          >
            {[1, 2, 3, 4, 5].map((count) => (
              <option key={count} value={String(count)}>
                {count}
              </option>
            ))}
          </select>
        </div>
      </div>
      <CheckField
        name={`${name}-ordered`}
        label={t("ordered")}
        checked={row.ordered}
        onChange={(ordered) => onChange({ ...row, ordered })}
      />
      <CheckField
        name={`${name}-admin`}
        label={t("lastByAdmin")}
        checked={row.admin}
        onChange={(admin) => onChange({ ...row, admin })}
      />
      <button type="button" onClick={onRemove}>
        {t("removeTier", { index: index + 1 })}
      </button>
    </fieldset>
  );
};

export const ApprovalPolicyScreen = () => {
  const t = useT(approvalPolicyMessages);
  const loaded = useApiData<ApprovalPolicy>("/contract/approval-policy");
  const [draft, setDraft] = useState<Draft | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (!loaded.data) return <Loading problem={loaded.problem} />;
  const current = draft ?? draftOf(loaded.data);
  const edit = (kind: Kind, rows: Row[]) => {
    setDone(null);
    setDraft({ ...current, [kind]: rows });
  };
  return (
    <div class="admin-page" data-testid="approval-policy">
      <h1>{t("title")}</h1>
      <p class="admin-lead">{t("lead")}</p>
      <p class="admin-hint">{t("keepsOld")}</p>
      <Notice text={done} />
      <ConfirmForm
        name="approval-policy"
        title={t("title")}
        submitLabel={t("submit")}
        check={() => draftError(current, t)}
        explain={(problem) => explainErrors(problem, t)}
        send={(confirmationPin) =>
          api.put<ApprovalPolicy>("/contract/approval-policy", {
            single: toTiers(current.single),
            bulk: toTiers(current.bulk),
            salary: toTiers(current.salary),
            confirmationPin,
          })
        }
        onDone={(policy) => {
          loaded.setData(policy);
          setDraft(null);
          setDone(t("done"));
        }}
      >
        {kinds.map(({ kind, label }) => {
          const rows = current[kind];
          return (
            <Section key={kind} title={t(label)}>
              <div data-kind={kind}>
                {rows.length === 0 ? <p>{t("none")}</p> : null}
                {rows.map((_, index) => (
                  <TierRow
                    key={`${kind}-${index}`}
                    kind={kind}
                    index={index}
                    rows={rows}
                    onChange={(row) =>
                      edit(
                        kind,
                        rows.map((each, at) => (at === index ? row : each)),
                      )
                    }
                    onRemove={() =>
                      edit(
                        kind,
                        rows.filter((_, at) => at !== index),
                      )
                    }
                  />
                ))}
                <div class="admin-actions">
                  {rows.length === 0 ? (
                    <button
                      type="button"
                      onClick={() => edit(kind, [{ upTo: "", approvals: 1, ordered: false, admin: false }])}
                    >
                      {t("requireApproval")}
                    </button>
                  ) : (
                    <>
                      <button
                        type="button"
                        name={`${kind}-add`}
                        onClick={() =>
                          edit(kind, [
                            ...rows.slice(0, -1),
                            { upTo: "", approvals: 1, ordered: false, admin: false },
                            ...rows.slice(-1),
                          ])
                        }
                      >
                        {t("addTier")}
                      </button>
                      <button type="button" onClick={() => edit(kind, [])}>
                        {t("noApproval")}
                      </button>
                    </>
                  )}
                </div>
              </div>
            </Section>
          );
        })}
      </ConfirmForm>
    </div>
  );
};
