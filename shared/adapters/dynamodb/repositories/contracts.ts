// The contracts' repository: contracts, their principals, the administrator's reset and the approval policy. Each operation is one of the area's functions, given the table.
import type { ContractRepository } from "#shared/services/ports";
import { approvalPolicySet } from "../approval-policy.ts";
import type { Table } from "../client.ts";
import { administratorReset, contractOpened, readPrincipals } from "../contracts.ts";
import { getContract, toContract } from "../repository.ts";

/** The contracts' repository: contracts, their principals, the administrator's reset and the approval policy. */
export const dynamoContractRepository = (table: Table): ContractRepository => ({
  getContract: (...args) => getContract(table, ...args),
  toContract,
  administratorReset: (...args) => administratorReset(table, ...args),
  contractOpened: (...args) => contractOpened(table, ...args),
  readPrincipals: (...args) => readPrincipals(table, ...args),
  approvalPolicySet: (...args) => approvalPolicySet(table, ...args),
});
