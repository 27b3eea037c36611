// How long the S/MIME signing certificate has left, published as a CloudWatch metric so that its expiry is
// alarmed 30 days ahead (infra: the mail stack's SigningCertificateExpiryAlarm), not found by a customer.
import { X509Certificate } from "node:crypto";

/** Where the metric is published (CloudWatch embedded metric format), and what the alarm watches. */
export const signingCertificateMetric = {
  namespace: "corporate-ib",
  name: "SigningCertificateDaysLeft",
  dimensions: { Service: "corporate-ib" },
} as const;

const dayMs = 86_400_000;

/** Whole days until the signing (first) certificate of a PEM chain ends; negative once it has. */
export const signingCertificateDaysLeft = (certificatePem: string, now: number): number => {
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(certificatePem)?.[0];
  if (!first) throw new Error("The mail signing certificate is not a PEM certificate");
  return Math.floor((new Date(new X509Certificate(first).validTo).getTime() - now) / dayMs);
};

/** One line of CloudWatch's embedded metric format: Lambda's log becomes the metric, no API call needed. */
export const daysLeftMetricLine = (daysLeft: number, now: number): string =>
  JSON.stringify({
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: signingCertificateMetric.namespace,
          Dimensions: [Object.keys(signingCertificateMetric.dimensions)],
          Metrics: [{ Name: signingCertificateMetric.name, Unit: "Count" }],
        },
      ],
    },
    ...signingCertificateMetric.dimensions,
    [signingCertificateMetric.name]: daysLeft,
  });
