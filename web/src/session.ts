// The signed-in state of this page: the session token (in memory, see api.ts), the pending logon step,
// the card cells asked for, and the principal's `GET /v1/me`. Screens read it with `useSession`.
// It also keeps the session's clock: the API ends a session unused for its idle time (the deadline
// moves with every signed-in request) and, in any case, at `expiresAt` (the absolute end).
import { useEffect, useState } from "preact/hooks";
import {
  api,
  type Logon,
  type Me,
  onSessionAnswered,
  onUnauthenticated,
  type PendingStep,
  type ProblemDetails,
  setSessionToken,
} from "./api.ts";
import { resetPath } from "./router.ts";

export type { LogonRecord as LogonRecordView, Me, MeWarning, PendingStep } from "./api.ts";

export interface SessionState {
  readonly signedIn: boolean;
  readonly pending: PendingStep | null;
  readonly card: { readonly positions: readonly string[] } | null;
  readonly expiresAt: string | null;
  readonly me: Me | null;
  /** Why the last session ended (`unauthenticated`, `idle`, `logout`, `locked` …), for the logon screen. */
  readonly endedBecause: string | null;
  /** Epoch ms of the last signed-in request the API answered: the API's idle clock restarted then. */
  readonly lastActivityAt: number | null;
  /** The API's idle timeout in seconds. */
  readonly idleSeconds: number;
  /** Who logged on (no user ID: the administrator), to say who can resume a stopped principal. */
  readonly principal: { readonly contractId: string; readonly userId: string | null } | null;
}

/**
 * The API's idle timeout when it does not say (design §3, `SESSION_IDLE_SECONDS`'s default). The logon
 * answer carries only the absolute end (`expiresAt`); an `idleSeconds` in it is used when present.
 */
export const defaultIdleSeconds = 300;

const signedOut: SessionState = {
  signedIn: false,
  pending: null,
  card: null,
  expiresAt: null,
  me: null,
  endedBecause: null,
  lastActivityAt: null,
  idleSeconds: defaultIdleSeconds,
  principal: null,
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

/** User IDs are compared without case, as the API does. */
const samePrincipal = (
  before: NonNullable<SessionState["principal"]>,
  after: SessionState["principal"],
): boolean =>
  after !== null &&
  before.contractId === after.contractId &&
  (before.userId ?? "").toLowerCase() === (after.userId ?? "").toLowerCase() &&
  (before.userId === null) === (after.userId === null);

/** Starts a session from `POST /v1/sessions`'s answer. */
export const beginSession = (
  answer: Logon,
  principal?: { contractId: string; userId: string | null },
): void => {
  // A reload keeps its hash for whoever signs on; a second principal in this tab starts at home.
  if (state.principal !== null && !samePrincipal(state.principal, principal ?? null)) resetPath();
  setSessionToken(answer.token);
  updateSession({
    signedIn: true,
    pending: answer.pending,
    card: answer.card ?? null,
    expiresAt: answer.expiresAt,
    me: null,
    endedBecause: null,
    lastActivityAt: Date.now(),
    idleSeconds:
      typeof answer.idleSeconds === "number" && answer.idleSeconds > 0
        ? answer.idleSeconds
        : defaultIdleSeconds,
    principal: principal ?? null,
  });
};

/**
 * A signed-in request sent at `sentAt` was answered: the API's idle clock restarted then. Answers arrive
 * in any order; an earlier request answered late does not move the clock back.
 */
export const noteActivity = (sentAt: number = Date.now()): void => {
  if (state.signedIn && sentAt > (state.lastActivityAt ?? 0)) updateSession({ lastActivityAt: sentAt });
};

/** Reads `GET /v1/me` again (after a change the principal made to itself). */
export const refreshMe = async (): Promise<Me | null> => {
  const answer = await api.get<Me>("/me");
  if (answer.ok) updateSession({ me: answer.data });
  else handleSessionProblem(answer.problem);
  return answer.ok ? answer.data : null;
};

/** Forgets the session here; `logout` also ends it at the API first. */
export const endSession = (because: string | null): void => {
  setSessionToken(null);
  state = { ...signedOut, endedBecause: because, principal: state.principal };
  for (const listener of listeners) listener(state);
};

export const logout = async (): Promise<void> => {
  await api.delete("/sessions/current");
  endSession("logout");
};

/** The idle timer ran out: the API has ended the session or is about to; it is ended at once here too. */
export const logoutIdle = (because: "idle" | "expired" = "idle"): void => {
  void api.delete("/sessions/current");
  endSession(because);
};

/**
 * What a refusal means for the session itself: a stopped principal or contract has lost its session
 * (the API revoked it), and `step-required` names the logon step still pending. Returns true when the
 * session ended, so a screen need not show the refusal itself.
 */
export const handleSessionProblem = (problem: ProblemDetails): boolean => {
  if (!state.signedIn) return false;
  if (problem.status === 423 && (problem.slug === "locked" || problem.slug === "contract-stopped")) {
    endSession(problem.slug);
    return true;
  }
  if (problem.slug === "step-required" && typeof problem.pending === "string") {
    updateSession({ pending: problem.pending as PendingStep });
  }
  return false;
};

/**
 * Starts following the API's answers: every answered signed-in request restarts the API's idle clock,
 * whichever screen made it; a 401 `unauthenticated` ends the session here.
 */
export const watchSession = (): void => {
  onUnauthenticated(() => endSession("unauthenticated"));
  onSessionAnswered((sentAt) => noteActivity(sentAt));
};

/**
 * The idle time the console counts on after a request: the API writes the session's idle end again only
 * once a tenth of the idle time has passed since its last write (`idleTouchDue`, shared/domain/lockout.ts),
 * so after any request the stored end is at least nine tenths of the idle time away, and at most all of it.
 * The console counts the nine tenths: it warns and logs off before the API ends the session, never after.
 */
export const idleCounted = (idleSeconds: number): number => idleSeconds - idleSeconds / 10;

/** The session's next end: the idle deadline or the absolute end, whichever comes first. */
export const sessionDeadline = (
  session: SessionState,
): { readonly at: number; readonly reason: "idle" | "expired" } | null => {
  if (!session.signedIn || session.lastActivityAt === null) return null;
  const idle = session.lastActivityAt + idleCounted(session.idleSeconds) * 1000;
  const absolute = session.expiresAt ? Date.parse(session.expiresAt) : Number.POSITIVE_INFINITY;
  return absolute < idle ? { at: absolute, reason: "expired" } : { at: idle, reason: "idle" };
};

/** How long before the end the warning shows: 60 s, or a third of the idle time when that is shorter. */
export const warningSeconds = (idleSeconds: number): number => Math.min(60, Math.floor(idleSeconds / 3));
