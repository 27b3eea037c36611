// A payee's bank and branch chosen by name from the Zengin code master (as the API finds them: by name in
// kanji, katakana or hiragana, or by code), both names shown once chosen; and the names of a bank and
// branch known by their codes, for the screens that show a payee. The master stays with the API: the
// console asks for the few entries matching what was typed.
import { useEffect, useId, useRef, useState } from "preact/hooks";
import { api, type BankMatches, type BranchMatches } from "../api.ts";
import { FieldMessage } from "../components/form-errors.tsx";
import { halfWidth } from "../components/format.ts";
import { defineMessages, useT } from "../i18n/index.ts";

/** A bank or a branch of the master: its code, its name and its reading. */
export interface BankEntry {
  readonly code: string;
  readonly name: string;
  readonly kana: string;
}

/** The choice the picker holds: the codes the API takes, and the names shown beside them. */
export interface BankChoice {
  bankCode: string;
  bankName: string;
  branchCode: string;
  branchName: string;
}

/** Matches asked for at a time: enough to pick from, few enough to read. */
const shownMatches = 8;

const pickerMessages = defineMessages(
  {
    bank: "金融機関",
    bankHint: "金融機関名（漢字・カナ・ひらがな）またはコードの一部を入力して、候補から選んでください。",
    branch: "支店",
    branchHint: "支店名またはコードの一部を入力して、候補から選んでください。",
    branchFirst: "先に金融機関を選んでください。",
    matches: "{count}件の候補",
    noMatches: "該当する候補がありません。",
    chosenBank: "選択中の金融機関",
    chosenBranch: "選択中の支店",
    code: "コード {code}",
  },
  {
    bank: "Bank",
    bankHint: "Type part of the bank's name (kanji, katakana or hiragana) or its code, then choose it.",
    branch: "Branch",
    branchHint: "Type part of the branch's name or its code, then choose it.",
    branchFirst: "Choose the bank first.",
    matches: "{count} matches",
    noMatches: "Nothing matches.",
    chosenBank: "Chosen bank",
    chosenBranch: "Chosen branch",
    code: "code {code}",
  },
);

/**
 * The entries matching `query` from `path` (null: nothing asked yet). An answer to an older query is
 * dropped: only the last one typed is shown.
 */
const useMatches = (path: ((query: string) => string) | null, query: string) => {
  const [matches, setMatches] = useState<readonly BankEntry[] | null>(null);
  const asked = useRef(0);
  useEffect(() => {
    const typed = halfWidth(query).trim();
    const count = ++asked.current;
    if (!path || typed === "") {
      setMatches(null);
      return;
    }
    void api.get<BankMatches | BranchMatches>(path(typed)).then((answer) => {
      if (count === asked.current) setMatches(answer.ok ? answer.data.items : []);
    });
  }, [query, path === null]);
  return matches;
};

const MatchList = ({
  id,
  matches,
  choose,
}: {
  id: string;
  matches: readonly BankEntry[] | null;
  choose: (entry: BankEntry) => void;
}) => {
  const t = useT(pickerMessages);
  if (matches === null) return null;
  return (
    <>
      <p class="visually-hidden" role="status">
        {matches.length === 0 ? t("noMatches") : t("matches", { count: matches.length })}
      </p>
      {matches.length === 0 ? (
        <p class="hint">{t("noMatches")}</p>
      ) : (
        <ul class="picker-matches" id={id}>
          {matches.map((entry) => (
            <li key={entry.code}>
              <button type="button" class="picker-match" data-code={entry.code} onClick={() => choose(entry)}>
                <span class="picker-name">{entry.name}</span>
                <span class="picker-code">{entry.code}</span>
                <span class="picker-kana">{entry.kana}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
};

/** One of the two searches: its field, its matches, and what is chosen. */
const PickerField = ({
  name,
  label,
  hint,
  disabledHint,
  query,
  setQuery,
  matches,
  choose,
  chosen,
  chosenLabel,
  error,
  testId,
}: {
  name: string;
  label: string;
  hint: string;
  disabledHint: string | null;
  query: string;
  setQuery: (value: string) => void;
  matches: readonly BankEntry[] | null;
  choose: (entry: BankEntry) => void;
  chosen: { code: string; name: string } | null;
  chosenLabel: string;
  error: string | undefined;
  testId: string;
}) => {
  const t = useT(pickerMessages);
  const id = useId();
  const described = [`${id}-hint`, error ? `${id}-error` : null, chosen ? `${id}-chosen` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <div class="field picker">
      <label for={id}>{label}</label>
      <p class="hint" id={`${id}-hint`}>
        {disabledHint ?? hint}
      </p>
      <FieldMessage id={`${id}-error`} message={error} />
      <input
        id={id}
        name={name}
        type="text"
        value={query}
        autoComplete="off"
        spellcheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        aria-controls={matches && matches.length > 0 ? `${id}-matches` : undefined}
        onInput={(event) => setQuery((event.target as HTMLInputElement).value)}
      />
      {chosen ? (
        <p class="picker-chosen" id={`${id}-chosen`} data-testid={testId} data-code={chosen.code}>
          <span class="visually-hidden">{chosenLabel}：</span>
          <strong>{chosen.name}</strong> <span class="picker-code">{t("code", { code: chosen.code })}</span>
        </p>
      ) : (
        <MatchList id={`${id}-matches`} matches={matches} choose={choose} />
      )}
    </div>
  );
};

/**
 * The bank, then the branch, each found by what is typed and chosen from the matches (a code typed in
 * whole chooses its entry at once). Typing again forgets the choice: what is sent is always what is shown.
 */
export const BankBranchPicker = ({
  value,
  onChange,
  bankError,
  branchError,
  bankLabel,
  branchLabel,
}: {
  value: BankChoice;
  onChange: (choice: BankChoice) => void;
  bankError?: string | undefined;
  branchError?: string | undefined;
  bankLabel?: string;
  branchLabel?: string;
}) => {
  const t = useT(pickerMessages);
  const [bankQuery, setBankQuery] = useState(value.bankName);
  const [branchQuery, setBranchQuery] = useState(value.branchName);
  const bankCode = value.bankCode;
  const bankMatches = useMatches(
    value.bankCode ? null : (q) => `/banks?q=${encodeURIComponent(q)}&limit=${shownMatches}`,
    bankQuery,
  );
  const branchMatches = useMatches(
    bankCode && !value.branchCode
      ? (q) =>
          `/banks/${encodeURIComponent(bankCode)}/branches?q=${encodeURIComponent(q)}&limit=${shownMatches}`
      : null,
    branchQuery,
  );
  const chooseBank = (entry: BankEntry) => {
    setBankQuery(entry.name);
    setBranchQuery("");
    onChange({ bankCode: entry.code, bankName: entry.name, branchCode: "", branchName: "" });
  };
  const chooseBranch = (entry: BankEntry) => {
    setBranchQuery(entry.name);
    onChange({ ...value, branchCode: entry.code, branchName: entry.name });
  };
  // A whole code typed in chooses its entry as soon as the API names it.
  useEffect(() => {
    const exact = bankMatches?.find((entry) => entry.code === halfWidth(bankQuery).trim());
    if (exact && !value.bankCode) chooseBank(exact);
  }, [bankMatches]);
  useEffect(() => {
    const exact = branchMatches?.find((entry) => entry.code === halfWidth(branchQuery).trim());
    if (exact && value.bankCode && !value.branchCode) chooseBranch(exact);
  }, [branchMatches]);
  return (
    <>
      <PickerField
        name="bankQuery"
        label={bankLabel ?? t("bank")}
        hint={t("bankHint")}
        disabledHint={null}
        query={bankQuery}
        setQuery={(typed) => {
          setBankQuery(typed);
          setBranchQuery("");
          if (value.bankCode || value.branchCode)
            onChange({ bankCode: "", bankName: "", branchCode: "", branchName: "" });
        }}
        matches={bankMatches}
        choose={chooseBank}
        chosen={value.bankCode ? { code: value.bankCode, name: value.bankName } : null}
        chosenLabel={t("chosenBank")}
        error={bankError}
        testId="bank-chosen"
      />
      <PickerField
        name="branchQuery"
        label={branchLabel ?? t("branch")}
        hint={t("branchHint")}
        disabledHint={value.bankCode ? null : t("branchFirst")}
        query={branchQuery}
        setQuery={(typed) => {
          setBranchQuery(typed);
          if (value.branchCode) onChange({ ...value, branchCode: "", branchName: "" });
        }}
        matches={branchMatches}
        choose={chooseBranch}
        chosen={value.branchCode ? { code: value.branchCode, name: value.branchName } : null}
        chosenLabel={t("chosenBranch")}
        error={branchError}
        testId="branch-chosen"
      />
    </>
  );
};

/**
 * The names of the bank and branch a payee's codes stand for, as the master has them; null until the API
 * answers, and when it cannot name them (the codes are then shown alone).
 */
export const useBankNames = (
  bankCode: string | undefined,
  branchCode: string | undefined,
): { bankName: string; branchName: string | null } | null => {
  const [names, setNames] = useState<{ bankName: string; branchName: string | null } | null>(null);
  useEffect(() => {
    setNames(null);
    if (!bankCode || !branchCode) return;
    let live = true;
    void api
      .get<BranchMatches>(
        `/banks/${encodeURIComponent(bankCode)}/branches?q=${encodeURIComponent(branchCode)}&limit=5`,
      )
      .then((answer) => {
        if (!live || !answer.ok) return;
        const branch = answer.data.items.find((entry) => entry.code === branchCode);
        setNames({ bankName: answer.data.bank.name, branchName: branch?.name ?? null });
      });
    return () => {
      live = false;
    };
  }, [bankCode, branchCode]);
  return names;
};
