import { describe, expect, it } from "vitest";
import { localClock } from "#scripts/local/clock";
import { clockStartingAt, ManualClock, systemClock } from "#shared/clock";
import { ConfigError, loadConfig } from "#shared/config";

describe("the local stack's clock (CLOCK=…)", () => {
  it("starts at the time given and runs on with the wall clock", () => {
    const wall = new ManualClock(Date.UTC(2030, 0, 1));
    const clock = clockStartingAt(Date.parse("2026-12-07T09:00:00+09:00"), wall);
    expect(new Date(clock.now()).toISOString()).toBe("2026-12-07T00:00:00.000Z");
    wall.advance(90_000);
    expect(new Date(clock.now()).toISOString()).toBe("2026-12-07T00:01:30.000Z");
  });

  it("is the system clock when CLOCK is not set", () => {
    expect(localClock({})).toBe(systemClock);
    expect(localClock({ CLOCK: "" })).toBe(systemClock);
  });

  it("takes an ISO time with its offset, against DynamoDB Local or one on this machine", () => {
    for (const env of [
      {},
      { DYNAMODB_ENDPOINT: "http://127.0.0.1:8000" },
      { DYNAMODB_ENDPOINT: "http://localhost:8000" },
    ]) {
      const clock = localClock({ ...env, CLOCK: "2026-12-07T09:00:00+09:00" });
      expect(Math.abs(clock.now() - Date.parse("2026-12-07T00:00:00Z"))).toBeLessThan(60_000);
    }
  });

  it.each([["2026-12-07"], ["2026-12-07T09:00:00"], ["tomorrow"], ["2026-13-07T09:00:00Z"]])(
    "refuses %j: a time without its offset, or none",
    (value) => {
      expect(() => localClock({ CLOCK: value })).toThrow(ConfigError);
    },
  );

  it("is refused outside the local stack: another DynamoDB, an AWS deployment's secret, a Lambda function", () => {
    const CLOCK = "2026-12-07T09:00:00+09:00";
    expect(() =>
      localClock({ CLOCK, DYNAMODB_ENDPOINT: "https://dynamodb.ap-northeast-1.amazonaws.com" }),
    ).toThrow(/only by the local stack/);
    expect(() =>
      localClock({ CLOCK, SERVICE_SECRET_ARN: "arn:aws:secretsmanager:ap-northeast-1:1:secret:x" }),
    ).toThrow(/only by the local stack/);
    expect(() => loadConfig({ CLOCK, AWS_LAMBDA_FUNCTION_NAME: "corporate-ib-transfers" })).toThrow(
      ConfigError,
    );
    expect(loadConfig({ AWS_LAMBDA_FUNCTION_NAME: "corporate-ib-transfers" }).tableName).toBe("corporate-ib");
  });
});
