// The signed-in state of this page: the session token (in memory, see api.ts), the pending logon step,
// the card cells asked for, and the principal's `GET /v1/me`. Screens read it with `useSession`.
import { useEffect, useState } from "preact/hooks";
import { api, setSessionToken } from "./api.ts";

export type PendingStep = "otp" | "card" | "set-pins" | "register-token" | "certificate";

export interface Me {
  readonly contractId: string;
  readonly userId: string | null;
  readonly role: "admin" | "user";
  readonly name: string;
  readonly email: string;
  readonly permissions: readonly string[];
  readonly limits: { readonly perTransfer: number; readonly daily: number } | null;
  readonly channels: { readonly web: boolean; readonly mobile: boolean };
  readonly notifications: { readonly events: readonly string[] } | Record<string, unknown>;
  readonly token: { readonly status: string; readonly expiresAt: string } | null;
  readonly lastLogons: { readonly succeeded: unknown; readonly failed: unknown };
  readonly warnings: readonly unknown[];
  readonly [more: string]: unknown;
}

export interface SessionState {
  readonly signedIn: boolean;
  readonly pending: PendingStep | null;
  readonly card: { readonly positions: readonly string[] } | null;
  readonly expiresAt: string | null;
  readonly me: Me | null;
  /** Why the last session ended (`unauthenticated`, `idle`, `logout`, `locked` …), for the logon screen. */
  readonly endedBecause: string | null;
}

const signedOut: SessionState = {
  signedIn: false,
  pending: null,
  card: null,
  expiresAt: null,
  me: null,
  endedBecause: null,
};

let state: SessionState = signedOut;
const listeners = new Set<(next: SessionState) => void>();

export const getSession = (): SessionState => state;

export const updateSession = (change: Partial<SessionState>): void => {
  state = { ...state, ...change };
  for (const listener of listeners) listener(state);
};

export const useSession = (): SessionState => {
  const [current, setCurrent] = useState(state);
  useEffect(() => {
    listeners.add(setCurrent);
    setCurrent(state);
    return () => {
      listeners.delete(setCurrent);
    };
  }, []);
  return current;
};

/** Starts a session from `POST /v1/sessions`'s answer. */
export const beginSession = (answer: {
  token: string;
  pending: PendingStep | null;
  card?: { positions: string[] };
  expiresAt?: string;
}): void => {
  setSessionToken(answer.token);
  updateSession({
    signedIn: true,
    pending: answer.pending,
    card: answer.card ?? null,
    expiresAt: answer.expiresAt ?? null,
    me: null,
    endedBecause: null,
  });
};

/** Reads `GET /v1/me` again (after a change the principal made to itself). */
export const refreshMe = async (): Promise<Me | null> => {
  const answer = await api.get<Me>("/me");
  if (answer.ok) updateSession({ me: answer.data });
  return answer.ok ? answer.data : null;
};

/** Forgets the session here; `logout` also ends it at the API first. */
export const endSession = (because: string | null): void => {
  setSessionToken(null);
  state = { ...signedOut, endedBecause: because };
  for (const listener of listeners) listener(state);
};

export const logout = async (): Promise<void> => {
  await api.delete("/sessions/current");
  endSession("logout");
};
