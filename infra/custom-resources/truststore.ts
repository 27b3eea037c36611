// The truststore of the API's mutual-TLS domain, as a CloudFormation custom resource: it makes sure the
// client-certificate CA exists (by the service's own create-once rule) and writes the certificates of the CAs
// trusted now — the active one and, during a rollover, the previous one — to the truststore object, answering
// with the object's version for the domain to name. It never reads the keys out of the secret for anything
// but that check, and never puts them anywhere.
import { X509Certificate } from "node:crypto";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { CloudFormationCustomResourceEvent, Context } from "aws-lambda";
import { secretsManagerCertificateAuthorityStore } from "#shared/adapters/aws/certificate-authority-secret";
import {
  createCertificateAuthority,
  openCertificateAuthority,
} from "#shared/adapters/crypto/certificate-authority";
import type { CertificateAuthorityStore } from "#shared/adapters/crypto/certificate-authority-store";
import { certificateFingerprint } from "#shared/adapters/crypto/client-certificate";
import { logger } from "#shared/logger";

/** What the stack passes (CloudFormation hands every property over as a string). */
export interface TruststoreProperties {
  readonly CertificateAuthoritySecretArn: string;
  readonly Bucket: string;
  readonly Key: string;
  /** Changed by the operator (`-c truststoreRevision=…`) after a rollover begun or a CA retired. */
  readonly Revision?: string;
}

export interface PublishedTruststore {
  /** The S3 object version the domain's `truststoreVersion` names. */
  readonly VersionId: string;
  /** SHA-256 of the active CA certificate (hex), to compare with `GET /v1/ca` and the ops status. */
  readonly CertificateSha256: string;
  /** SHA-256 of the previous CA certificate during a rollover; empty when there is none. */
  readonly PreviousCertificateSha256: string;
  /** The revision of the CA set written (the ops status shows the current one). */
  readonly CertificateAuthorityRevision: string;
}

/**
 * Ensures the CA and writes the trusted CA certificates (PEM, nothing else) to the truststore object: the
 * active one, and the previous one while a rollover is open.
 */
export const publishTruststore = async (
  properties: TruststoreProperties,
  ports: { store: CertificateAuthorityStore; s3: S3Client; now: number },
): Promise<PublishedTruststore> => {
  const set = await ports.store.readOrCreate(() => createCertificateAuthority(ports.now));
  // Refuse to publish a CA whose key does not match: clients would hold certificates nobody can verify.
  const { certificatePem } = openCertificateAuthority(set.active);
  const previous = set.previous ? openCertificateAuthority(set.previous) : undefined;
  const { VersionId } = await ports.s3.send(
    new PutObjectCommand({
      Bucket: properties.Bucket,
      Key: properties.Key,
      Body: [certificatePem, ...(previous ? [previous.certificatePem] : [])].join(""),
      ContentType: "application/x-pem-file",
    }),
  );
  if (!VersionId) throw new Error(`The truststore bucket ${properties.Bucket} is not versioned`);
  return {
    VersionId,
    CertificateSha256: certificateFingerprint(new X509Certificate(certificatePem)),
    PreviousCertificateSha256: previous ? certificateFingerprint(previous.certificate) : "",
    CertificateAuthorityRevision: String(set.revision),
  };
};

/** Writes CloudFormation's answer to the pre-signed URL it gave (there is no other way to answer). */
const respond = async (url: string, body: Record<string, unknown>): Promise<void> => {
  const text = JSON.stringify(body);
  const response = await fetch(url, {
    method: "PUT",
    // The URL is signed without a content type: send none.
    headers: { "Content-Type": "", "Content-Length": String(Buffer.byteLength(text)) },
    body: text,
  });
  if (!response.ok) throw new Error(`CloudFormation refused the answer: ${response.status}`);
};

export const handler = async (
  event: CloudFormationCustomResourceEvent<TruststoreProperties>,
  context: Context,
): Promise<void> => {
  const properties = event.ResourceProperties;
  const physicalResourceId = `s3://${properties.Bucket}/${properties.Key}`;
  let answer: Record<string, unknown>;
  try {
    // A deleted truststore resource leaves the object: the retained bucket keeps what the domain last used.
    const data =
      event.RequestType === "Delete"
        ? {}
        : await publishTruststore(properties, {
            store: secretsManagerCertificateAuthorityStore(
              properties.CertificateAuthoritySecretArn,
              process.env.AWS_REGION ?? "",
            ),
            s3: new S3Client({}),
            now: Date.now(),
          });
    answer = { Status: "SUCCESS", Data: data };
  } catch (error) {
    // The error's name and message only: SDK messages name resources, never the secret's value.
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : "unknown error";
    logger.error("The truststore was not published", { reason, requestType: event.RequestType });
    answer = { Status: "FAILED", Reason: `${reason.slice(0, 300)} (log stream ${context.logStreamName})` };
  }
  await respond(event.ResponseURL, {
    ...answer,
    // A new bucket or key is a new resource; CloudFormation then deletes the old one, which leaves it be.
    PhysicalResourceId: event.RequestType === "Delete" ? event.PhysicalResourceId : physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
};
