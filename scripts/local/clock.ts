// `CLOCK=<ISO time> npm start`: the service's one clock starts at that time and runs on, so a person (or
// an outside test) can see what happens on a date — a scheduled transfer's day, a cut-off. Only against
// the local stack: with a DynamoDB elsewhere, another clock would write another day's data into it.
import { type Clock, clockStartingAt, systemClock } from "#shared/clock";
import { ConfigError } from "#shared/config";
import { isLoopbackHost } from "./stack.ts";

/** An ISO 8601 time with its offset or Z: 2026-12-07T09:00:00+09:00. */
const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export const localClock = (env: Readonly<Record<string, string | undefined>>): Clock => {
  const raw = env.CLOCK;
  if (raw === undefined || raw === "") return systemClock;
  const start = Date.parse(raw);
  if (!isoTime.test(raw) || Number.isNaN(start))
    throw new ConfigError(
      `CLOCK must be an ISO time with its offset, such as 2026-12-07T09:00:00+09:00, got "${raw}"`,
    );
  const endpoint = env.DYNAMODB_ENDPOINT;
  if (endpoint && !isLoopbackHost(new URL(endpoint).hostname))
    throw new ConfigError(
      `CLOCK is honoured only by the local stack; DYNAMODB_ENDPOINT points at ${new URL(endpoint).host}, which is not this machine`,
    );
  if (env.SERVICE_SECRET_ARN)
    throw new ConfigError(
      "CLOCK is honoured only by the local stack, not with SERVICE_SECRET_ARN (an AWS deployment's secret)",
    );
  return clockStartingAt(start);
};
