// The bank that runs the service, as the Zengin files name it: its 全銀 bank code and its name in
// half-width katakana (仕向銀行 of the outgoing clearing file, and of the header a company's file must
// carry for its account). A bank deploying the service writes its own here.
export const servicingBank = { bankCode: "0001", bankName: "ﾐｽﾞﾎ" } as const;

/** The clearing files' 支店名 are optional (spaces); the branch code is what clears. */
export const zenginAccountTypes = { ordinary: "1", checking: "2" } as const;
export type AccountKind = keyof typeof zenginAccountTypes;

/** An account's type as a Zengin file writes it (預金種目). */
export const zenginAccountType = (type: string): string => zenginAccountTypes[type as AccountKind] ?? "9";
