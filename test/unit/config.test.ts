import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "#shared/config";

describe("configuration", () => {
  it("uses the design's defaults: 5-minute idle and 60-minute absolute sessions", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      tableName: "corporate-ib",
      sessionIdleSeconds: 300,
      sessionMaxSeconds: 3600,
      dynamodbEndpoint: undefined,
      sesEndpoint: undefined,
    });
  });

  it("reads the settings from the environment", () => {
    const config = loadConfig({
      TABLE_NAME: "ib",
      DYNAMODB_ENDPOINT: "http://localhost:8000/",
      SES_ENDPOINT: "http://localhost:8005",
      SESSION_IDLE_SECONDS: "120",
      SESSION_MAX_SECONDS: "900",
    });
    expect(config).toMatchObject({
      tableName: "ib",
      dynamodbEndpoint: "http://localhost:8000",
      sesEndpoint: "http://localhost:8005",
      sessionIdleSeconds: 120,
      sessionMaxSeconds: 900,
    });
  });

  it.each([
    [{ SESSION_IDLE_SECONDS: "five" }, /SESSION_IDLE_SECONDS must be a whole number/],
    [{ SESSION_IDLE_SECONDS: "5" }, /between 30 and/],
    [{ SESSION_IDLE_SECONDS: "600", SESSION_MAX_SECONDS: "300" }, /must not be longer/],
    [{ DYNAMODB_ENDPOINT: "not a url" }, /DYNAMODB_ENDPOINT must be a URL/],
  ])("refuses %o instead of guessing", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
