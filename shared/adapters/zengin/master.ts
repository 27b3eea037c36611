// The Zengin code master (全銀協 bank and branch codes, the `zengin-code` data set): which bank and
// branch codes exist, and their names in kanji and kana for screens and files. The data set is about
// 5 MB, so it is loaded on first use (a dynamic import: bundled as its own chunk of the functions that
// import this module, and parsed only when a code is checked), and only the functions that check codes or
// look names up import it; the rest of the service never pays for it.

export interface BankEntry {
  /** 4-digit bank code. */
  code: string;
  /** The bank's name as banks write it (kanji, without 銀行 for most). */
  name: string;
  /** Its reading in full-width katakana. */
  kana: string;
}

export interface BranchEntry {
  /** 3-digit branch code. */
  code: string;
  name: string;
  kana: string;
}

/** The lookups the services need (a port: tests may hand a small master instead). */
export interface BankMaster {
  bank(code: string): BankEntry | undefined;
  branch(bankCode: string, branchCode: string): BranchEntry | undefined;
  /** Banks whose code starts with, or whose name or kana contains, the query; at most `limit`. */
  searchBanks(query: string, limit: number): BankEntry[];
  /** Branches of a bank whose code starts with, or whose name or kana contains, the query. */
  searchBranches(bankCode: string, query: string, limit: number): BranchEntry[];
}

interface RawEntry {
  code: string;
  name: string;
  kana: string;
  hira: string;
  roma: string;
}
interface RawBank extends RawEntry {
  branches: Record<string, RawEntry>;
}

type RawMaster = Record<string, RawBank>;

const entry = ({ code, name, kana }: RawEntry): BankEntry => ({ code, name, kana });

// Katakana and hiragana are matched alike, and full-width letters and digits as half-width.
const normalise = (text: string): string =>
  text
    .normalize("NFKC")
    .replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60))
    .toUpperCase()
    .trim();

/**
 * How well an entry matches the query, best first: 0 its code or name exactly, 1 a code, name or kana that
 * starts with it, 2 a name, kana or romaji that holds it; undefined when it does not match.
 */
const rank = (raw: RawEntry, query: string): number | undefined => {
  if (query === "") return 2;
  const name = normalise(raw.name);
  const kana = normalise(raw.kana);
  if (raw.code === query || name === query) return 0;
  if (raw.code.startsWith(query) || name.startsWith(query) || kana.startsWith(query)) return 1;
  if (name.includes(query) || kana.includes(query) || raw.roma.toUpperCase().includes(query)) return 2;
  return undefined;
};

/** The best `limit` matches, best first, in the master's order within each rank (みずほ before 埼玉みずほ). */
const search = (entries: Iterable<RawEntry>, query: string, limit: number): BankEntry[] => {
  const wanted = normalise(query);
  const found: { raw: RawEntry; rank: number }[] = [];
  for (const raw of entries) {
    const matched = rank(raw, wanted);
    if (matched !== undefined) found.push({ raw, rank: matched });
  }
  // Array.prototype.sort is stable: equal ranks keep the master's order.
  return found
    .sort((a, b) => a.rank - b.rank)
    .slice(0, limit)
    .map(({ raw }) => entry(raw));
};

const masterOf = (data: RawMaster): BankMaster => ({
  bank: (code) => {
    const raw = Object.hasOwn(data, code) ? data[code] : undefined;
    return raw ? entry(raw) : undefined;
  },
  branch: (bankCode, branchCode) => {
    const bank = Object.hasOwn(data, bankCode) ? data[bankCode] : undefined;
    const raw = bank && Object.hasOwn(bank.branches, branchCode) ? bank.branches[branchCode] : undefined;
    return raw ? entry(raw) : undefined;
  },
  searchBanks: (query, limit) => search(Object.values(data), query, limit),
  searchBranches: (bankCode, query, limit) => {
    const bank = Object.hasOwn(data, bankCode) ? data[bankCode] : undefined;
    return bank ? search(Object.values(bank.branches), query, limit) : [];
  },
});

let loading: Promise<BankMaster> | undefined;

/** The master from the `zengin-code` package, loaded by the first call and kept for the process's life. */
export const loadZenginMaster = (): Promise<BankMaster> => {
  loading ??= import("zengin-code").then(
    (module) => masterOf(module.default),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
};
