// The signing certificate's days left, as the scheduled check publishes them for the 30-day alarm.
import { describe, expect, it } from "vitest";
import { daysLeftMetricLine, signingCertificateDaysLeft } from "#shared/services/signing-certificate";
import { makeSigningMaterial } from "#test/support/smime";

const day = 86_400_000;

describe("the signing certificate's days left", () => {
  it("counts whole days to the signing certificate's end (the first of the chain), negative after it", () => {
    const notBefore = new Date(Date.UTC(2026, 0, 1));
    const material = makeSigningMaterial("no-reply@bank.example", notBefore);
    // The leaf ends a year after notBefore; the CA after it, in the chain, two years after.
    const chain = `${material.certificatePem}\n${material.caPem}`;
    const ends = notBefore.getTime() + 365 * day;
    expect(signingCertificateDaysLeft(chain, ends - 30 * day)).toBe(30);
    expect(signingCertificateDaysLeft(chain, ends - 30 * day + 1)).toBe(29);
    expect(signingCertificateDaysLeft(chain, ends + day)).toBe(-1);
  });

  it("refuses what is not a PEM certificate", () => {
    expect(() => signingCertificateDaysLeft("not a certificate", Date.now())).toThrow(
      /not a PEM certificate/,
    );
  });

  it("publishes in CloudWatch's embedded metric format, with nothing of the certificate", () => {
    const line = JSON.parse(daysLeftMetricLine(42, 1_700_000_000_000));
    expect(line).toEqual({
      _aws: {
        Timestamp: 1_700_000_000_000,
        CloudWatchMetrics: [
          {
            Namespace: "corporate-ib",
            Dimensions: [["Service"]],
            Metrics: [{ Name: "SigningCertificateDaysLeft", Unit: "Count" }],
          },
        ],
      },
      Service: "corporate-ib",
      SigningCertificateDaysLeft: 42,
    });
  });
});
