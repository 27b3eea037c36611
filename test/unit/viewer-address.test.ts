// CloudFront-Viewer-Address as the API reads it (an address, then the viewer's port), and the origin
// secret's settings: a value too short to be secret, or two sources at once, stop the start.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "#shared/config";
import { parseViewerAddress } from "#shared/http/viewer-address";

describe("parseViewerAddress", () => {
  it.each([
    ["198.51.100.10:46532", "198.51.100.10"],
    ["2001:db8:85a3::8a2e:370:7334:443", "2001:db8:85a3::8a2e:370:7334"],
    ["[2001:db8::1]:443", "2001:db8::1"],
    [" 203.0.113.9:1 ", "203.0.113.9"],
  ])("reads %s as %s", (header, address) => {
    expect(parseViewerAddress(header)).toBe(address);
  });

  it.each([
    "198.51.100.10",
    "198.51.100.10:99999",
    "evil.example:80",
    "198.51.100.10:1, 10.0.0.1:2",
    "999.1.1.1:80",
    "",
    "::",
  ])("refuses %j", (header) => {
    expect(parseViewerAddress(header)).toBeUndefined();
  });
});

describe("the origin secret's settings", () => {
  it("take a Secrets Manager ARN on AWS, or a value of 32 characters or more", () => {
    expect(loadConfig({ ORIGIN_VERIFY_SECRET_ARN: "arn:aws:secretsmanager:x" }).originVerify).toEqual({
      source: "secret",
      secretArn: "arn:aws:secretsmanager:x",
    });
    expect(loadConfig({ ORIGIN_VERIFY_SECRET: "a".repeat(32) }).originVerify).toEqual({
      source: "value",
      value: "a".repeat(32),
    });
    expect(loadConfig({}).originVerify).toBeUndefined();
  });

  it("refuse a short value and two sources at once", () => {
    expect(() => loadConfig({ ORIGIN_VERIFY_SECRET: "short" })).toThrow(ConfigError);
    expect(() =>
      loadConfig({
        ORIGIN_VERIFY_SECRET: "a".repeat(40),
        ORIGIN_VERIFY_SECRET_ARN: "arn:aws:secretsmanager:x",
      }),
    ).toThrow(ConfigError);
  });
});
