// The demo contract `npm start` opens so a newcomer can log on within a minute. With DATA_DIR the
// same contract is kept across restarts (its registration PIN is shown only the first time).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createContract } from "#shared/services/contracts";
import type { Deps } from "#shared/services/deps";

export interface Demo {
  contractId: string;
  /** Only when the contract was opened by this start. */
  registrationPin: string | undefined;
}

export const seedDemo = async (deps: Deps, dataDir: string | undefined): Promise<Demo> => {
  const marker = dataDir ? join(dataDir, "demo-contract.json") : undefined;
  if (marker && existsSync(marker)) {
    const { contractId } = JSON.parse(readFileSync(marker, "utf8")) as { contractId: string };
    if (await deps.contracts.getContract(contractId)) return { contractId, registrationPin: undefined };
  }
  const created = await createContract(deps, {
    name: "デモ商事株式会社 (Demo Trading K.K.)",
    adminEmail: "admin@demo.example",
    lockMode: "unlinked",
    otpMethod: "token",
    userOtpRequired: false,
    certificateRequired: false,
    approvalRequired: true,
    dailyLimit: 10_000_000,
    accounts: [
      { name: "普通預金 Operating", balance: 50_000_000 },
      { name: "普通預金 Payroll", balance: 12_000_000 },
    ],
  });
  if (marker && dataDir) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(marker, JSON.stringify({ contractId: created.contractId }));
  }
  return { contractId: created.contractId, registrationPin: created.registrationPin };
};
