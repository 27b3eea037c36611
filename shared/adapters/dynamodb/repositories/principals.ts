// The principals' repository: principals, sessions, strikes and attempt counters. Each operation is one of the area's functions, given the table.
import type { PrincipalRepository } from "#shared/services/ports";
import { countAttempt } from "../attempts.ts";
import type { Table } from "../client.ts";
import { keys } from "../keys.ts";
import {
  cardChallengeAnswered,
  cardChallengeAsked,
  contractStillActive,
  firstPinsSet,
  ownPinChanged,
  ownSettingChanged,
  pinRehashed,
  takeOwnPinChange,
} from "../principals.ts";
import { logonFailed, logonSucceeded } from "../records.ts";
import { getContractAndPrincipal, getPrincipal, toPrincipal } from "../repository.ts";
import {
  readSignedIn,
  revokeSession,
  sessionEnd,
  sessionGenerationMoved,
  sessionPinsSet,
  sessionPut,
  sessionStepsLeft,
  touchSession,
} from "../sessions.ts";
import {
  clearStrikesAlone,
  contractStoppedByLock,
  failureOnPrincipal,
  giveBackStrike,
  strikesCleared,
  takeStrike,
} from "../strikes.ts";

/** The principals' repository: principals, sessions, strikes and attempt counters. */
export const dynamoPrincipalRepository = (table: Table): PrincipalRepository => ({
  getPrincipal: (...args) => getPrincipal(table, ...args),
  getContractAndPrincipal: (...args) => getContractAndPrincipal(table, ...args),
  toPrincipal,
  contractStillActive: (...args) => contractStillActive(table.name, ...args),
  pinRehashed,
  cardChallengeAnswered,
  firstPinsSet: (...args) => firstPinsSet(table.name, ...args),
  cardChallengeAsked,
  ownPinChanged,
  ownSettingChanged,
  takeOwnPinChange: (...args) => takeOwnPinChange(table, ...args),
  logonSucceeded,
  logonFailed,
  sessionPinsSet: (...args) => sessionPinsSet(table.name, ...args),
  sessionStepsLeft: (...args) => sessionStepsLeft(table.name, ...args),
  readSignedIn: (...args) => readSignedIn(table, ...args),
  revokeSession: async (...args) => {
    await revokeSession(table, ...args);
  },
  sessionEnd: (...args) => sessionEnd(table.name, ...args),
  touchSession: (...args) => touchSession(table, ...args),
  sessionPut: (...args) => sessionPut(table.name, ...args),
  sessionGenerationMoved: (...args) => sessionGenerationMoved(table.name, ...args),
  clearStrikesAlone: (cleared) => clearStrikesAlone(table, cleared as ReturnType<typeof strikesCleared>),
  contractStoppedByLock: (...args) => contractStoppedByLock(table.name, ...args),
  failureOnPrincipal: (...args) => failureOnPrincipal(table.name, ...args),
  giveBackStrike: (...args) => giveBackStrike(table, ...args),
  strikesCleared: (...args) => strikesCleared(table.name, ...args),
  takeStrike: (...args) => takeStrike(table, ...args),
  countAttempt: (limit, subject, window) =>
    countAttempt(
      table,
      limit,
      subject.tokenId !== undefined
        ? keys.attemptsOfToken(subject.tokenId)
        : subject.userId !== undefined
          ? keys.attemptsOfPrincipal(subject.contractId, subject.userId)
          : keys.attemptsOfContract(subject.contractId),
      window,
    ),
});
