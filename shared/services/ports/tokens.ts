// The port of one area of storage — software tokens — implemented under shared/adapters/dynamodb/.

import type { TransactItem } from "#shared/adapters/dynamodb/records";
import type { AlsoOnPrincipal } from "#shared/adapters/dynamodb/strikes";
import type { Principal, SoftwareToken, TokenStatus } from "#shared/domain/model";

/** Software tokens: the pointer from a token to its holder and what a token's lifecycle writes on its principal. */
export interface TokenRepository {
  /** The principal a token ID names, if its service ID matches too. */
  getTokenOwner(
    tokenId: string,
    serviceId: string,
  ): Promise<{ contractId: string; userId: string | null } | undefined>;
  /** The bank's reset of a stopped token: the token and its counts go, so a new one can be issued. */
  stoppedTokenReset(principal: Principal, tokenId: string, now: number): TransactItem;
  /** The token activated (with `also`, e.g. the logon it completes), valid until `expiresAt`. */
  tokenActivated(
    expiresAt: number,
    also?: { set: string; values: Record<string, unknown> },
  ): { set: string; values: Record<string, unknown> };
  /** A new token replaces the principal's earlier one; its activation password starts without strikes. */
  tokenIssued(token: SoftwareToken, holdUntil: number | undefined): AlsoOnPrincipal;
  tokenPointerDelete(tokenId: string): TransactItem;
  /** Whose token a token ID names, and its service ID; written with the token, never overwritten. */
  tokenPointerPut(
    owner: Pick<Principal, "contractId" | "userId">,
    token: Pick<SoftwareToken, "tokenId" | "serviceId">,
  ): TransactItem;
  /** The secret left for the token app: only from the issued token it was asked for, and only once. */
  tokenProvisioned(tokenId: string): AlsoOnPrincipal;
  /** The principal's token removed (cancelled before changing phones). */
  tokenRemoved(): AlsoOnPrincipal;
  tokenRenewed(expiresAt: number): { set: string; values: Record<string, unknown> };
  /**
   * A one-time password's TOTP step recorded, with `also`: only on the token it was checked against, in
   * `status`, and only past the last step recorded, so a second request with it fails.
   */
  oneTimePasswordStepRecorded(
    tokenId: string,
    step: number,
    status: TokenStatus,
    also?: { set?: string; values?: Record<string, unknown> },
  ): AlsoOnPrincipal;
}
