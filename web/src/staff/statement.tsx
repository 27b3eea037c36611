// The account statement as the API writes it (`GET /v1/accounts/{id}/statement`): CSV (UTF-8 with a BOM,
// for Excel) or the Zengin 入出金取引明細 file (200-byte Shift_JIS records, for accounting software), for the
// period chosen on the history screen, the last 31 days when none is chosen.
import { useState } from "preact/hooks";
import { downloadFile, type ProblemDetails } from "../api.ts";
import { ProblemAlert } from "../components/problem-alert.tsx";
import { useT } from "../i18n/index.ts";
import { handleSessionProblem } from "../session.ts";
import { statementMessages } from "./batch-messages.ts";

/** A JST calendar day, YYYY-MM-DD, `days` before now. */
const jstDay = (daysBefore: number): string =>
  new Date(Date.now() + 9 * 3_600_000 - daysBefore * 86_400_000).toISOString().slice(0, 10);

export const StatementDownload = ({
  accountId,
  from,
  to,
}: {
  accountId: string;
  from: string;
  to: string;
}) => {
  const s = useT(statementMessages);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [busy, setBusy] = useState(false);
  const download = async (format: "csv" | "zengin") => {
    const query = new URLSearchParams({ from: from || jstDay(31), to: to || jstDay(0), format });
    setBusy(true);
    const refused = await downloadFile(
      `/accounts/${encodeURIComponent(accountId)}/statement?${query.toString()}`,
      format === "csv" ? "statement.csv" : "statement.txt",
    );
    setBusy(false);
    setProblem(refused && !handleSessionProblem(refused) ? refused : null);
  };
  return (
    <section class="panel" aria-labelledby="statement-title" data-testid="statement">
      <h2 id="statement-title">{s("title")}</h2>
      <p class="hint">{s("lead")}</p>
      <div class="actions">
        <button type="button" onClick={() => download("csv")} disabled={busy} data-testid="statement-csv">
          {s("csv")}
        </button>
        <button
          type="button"
          onClick={() => download("zengin")}
          disabled={busy}
          data-testid="statement-zengin"
        >
          {s("zengin")}
        </button>
      </div>
      <ProblemAlert problem={problem} />
    </section>
  );
};
