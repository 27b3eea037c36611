// The software tokens' repository. Each operation is one of the area's functions, given the table.
import type { TokenRepository } from "#shared/services/ports";
import type { Table } from "../client.ts";
import {
  getTokenOwner,
  oneTimePasswordStepRecorded,
  stoppedTokenReset,
  tokenActivated,
  tokenIssued,
  tokenPointerDelete,
  tokenPointerPut,
  tokenProvisioned,
  tokenRemoved,
  tokenRenewed,
} from "../tokens.ts";

/** The software tokens' repository. */
export const dynamoTokenRepository = (table: Table): TokenRepository => ({
  getTokenOwner: (...args) => getTokenOwner(table, ...args),
  stoppedTokenReset: (...args) => stoppedTokenReset(table.name, ...args),
  tokenActivated,
  tokenIssued,
  tokenPointerDelete: (...args) => tokenPointerDelete(table.name, ...args),
  tokenPointerPut: (...args) => tokenPointerPut(table.name, ...args),
  tokenProvisioned,
  tokenRemoved,
  tokenRenewed,
  oneTimePasswordStepRecorded,
});
