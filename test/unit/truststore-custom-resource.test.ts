// The truststore custom resource answers CloudFormation on every path: it writes the CA certificates trusted
// now (and nothing else) to the truststore object and names its version — both CAs while a rollover is open,
// the active one alone after the previous one is retired; a delete leaves the object; a failure is a FAILED
// answer whose reason carries no secret, never a stack left waiting for an hour.
import { createHash, X509Certificate } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import type { CloudFormationCustomResourceEvent, Context } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { handler, type TruststoreProperties } from "#infra/custom-resources/truststore";
import { certificateAuthorityVersionId } from "#shared/adapters/aws/certificate-authority-secret";
import { createCertificateAuthority } from "#shared/adapters/crypto/certificate-authority";
import type { StoredCertificateAuthority } from "#shared/adapters/crypto/certificate-authority-store";

let server: Server;
let responseUrl: string;
const answers: Record<string, unknown>[] = [];
let ca: StoredCertificateAuthority;
let nextCa: StoredCertificateAuthority;

beforeAll(async () => {
  ca = await createCertificateAuthority(Date.now());
  nextCa = await createCertificateAuthority(Date.now(), 2);
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      answers.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/answer`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

afterEach(() => {
  answers.length = 0;
  vi.restoreAllMocks();
});

const properties: TruststoreProperties = {
  CertificateAuthoritySecretArn: "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:ca-AbCdEf",
  Bucket: "truststore-bucket",
  Key: "truststore.pem",
};

const event = (requestType: "Create" | "Update" | "Delete") =>
  ({
    RequestType: requestType,
    ServiceToken: "arn:aws:lambda:ap-northeast-1:111111111111:function:publisher",
    ResponseURL: responseUrl,
    StackId: "arn:aws:cloudformation:ap-northeast-1:111111111111:stack/CorporateIbApi/1",
    RequestId: "request-1",
    LogicalResourceId: "MutualTlsDomainTruststoreObject",
    ResourceType: "Custom::ClientCertificateTruststore",
    ResourceProperties: { ServiceToken: "token", ...properties },
    ...(requestType === "Create" ? {} : { PhysicalResourceId: "s3://truststore-bucket/truststore.pem" }),
    ...(requestType === "Update" ? { OldResourceProperties: { ServiceToken: "token", ...properties } } : {}),
  }) as CloudFormationCustomResourceEvent<TruststoreProperties>;

const context = { logStreamName: "2026/01/05/[$LATEST]abc" } as Context;

/** The CA secret holds these revisions of the CA set (AWSCURRENT the last); S3 answers with a version. */
const awsWithCa = (revisions: string[] = [JSON.stringify(ca)]) => {
  vi.spyOn(SecretsManagerClient.prototype, "send").mockImplementation(async (command: unknown) => {
    if (command instanceof GetSecretValueCommand) {
      const wanted = command.input.VersionId ?? certificateAuthorityVersionId(revisions.length);
      const index = revisions.findIndex((_, at) => certificateAuthorityVersionId(at + 1) === wanted);
      if (index < 0) throw new ResourceNotFoundException({ message: "no such version", $metadata: {} });
      return { SecretString: revisions[index], VersionId: wanted };
    }
    throw new Error("unexpected Secrets Manager call");
  });
  return vi.spyOn(S3Client.prototype, "send").mockImplementation(async (command: unknown) => {
    if (command instanceof PutObjectCommand) return { VersionId: "v-123" };
    throw new Error("unexpected S3 call");
  });
};

const fingerprint = (pem: string) => createHash("sha256").update(new X509Certificate(pem).raw).digest("hex");
const certificatesIn = (body: unknown) =>
  String(body).match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n?/g) ?? [];

describe("the truststore custom resource", () => {
  it("writes the CA certificate alone to the truststore object and answers with its version", async () => {
    const s3 = awsWithCa();
    await handler(event("Create"), context);
    const put = s3.mock.calls[0]?.[0] as PutObjectCommand;
    expect(put.input).toMatchObject({
      Bucket: "truststore-bucket",
      Key: "truststore.pem",
      Body: ca.certificatePem,
    });
    expect(String(put.input.Body)).not.toContain("PRIVATE KEY");
    expect(answers).toEqual([
      expect.objectContaining({
        Status: "SUCCESS",
        PhysicalResourceId: "s3://truststore-bucket/truststore.pem",
        RequestId: "request-1",
        LogicalResourceId: "MutualTlsDomainTruststoreObject",
        Data: {
          VersionId: "v-123",
          CertificateSha256: fingerprint(ca.certificatePem),
          PreviousCertificateSha256: "",
          CertificateAuthorityRevision: "1",
        },
      }),
    ]);
  });

  it("trusts both CAs while a rollover is open, and the active one alone once the previous is retired", async () => {
    const overlap = JSON.stringify({ revision: 2, active: nextCa, previous: ca });
    const retired = JSON.stringify({ revision: 3, active: nextCa });

    const during = awsWithCa([JSON.stringify(ca), overlap]);
    await handler(event("Update"), context);
    const both = (during.mock.calls[0]?.[0] as PutObjectCommand | undefined)?.input.Body;
    expect(certificatesIn(both).map(fingerprint)).toEqual([
      fingerprint(nextCa.certificatePem),
      fingerprint(ca.certificatePem),
    ]);
    expect(String(both)).not.toContain("PRIVATE KEY");
    expect(answers.at(-1)).toMatchObject({
      Status: "SUCCESS",
      Data: {
        CertificateSha256: fingerprint(nextCa.certificatePem),
        PreviousCertificateSha256: fingerprint(ca.certificatePem),
        CertificateAuthorityRevision: "2",
      },
    });

    vi.restoreAllMocks();
    const after = awsWithCa([JSON.stringify(ca), overlap, retired]);
    await handler(event("Update"), context);
    const one = (after.mock.calls[0]?.[0] as PutObjectCommand | undefined)?.input.Body;
    expect(certificatesIn(one).map(fingerprint)).toEqual([fingerprint(nextCa.certificatePem)]);
    expect(answers.at(-1)).toMatchObject({
      Status: "SUCCESS",
      Data: { PreviousCertificateSha256: "", CertificateAuthorityRevision: "3" },
    });
  });

  it("leaves the object where it is when the resource is deleted", async () => {
    const s3 = awsWithCa();
    await handler(event("Delete"), context);
    expect(s3).not.toHaveBeenCalled();
    expect(answers).toEqual([
      expect.objectContaining({
        Status: "SUCCESS",
        PhysicalResourceId: "s3://truststore-bucket/truststore.pem",
      }),
    ]);
  });

  it("answers FAILED with the error's name and message, and no part of the secret", async () => {
    awsWithCa();
    vi.spyOn(S3Client.prototype, "send").mockRejectedValue(
      Object.assign(new Error("Access Denied"), { name: "AccessDenied" }),
    );
    await handler(event("Update"), context);
    expect(answers).toEqual([
      expect.objectContaining({
        Status: "FAILED",
        Reason: `AccessDenied: Access Denied (log stream ${context.logStreamName})`,
      }),
    ]);
    expect(JSON.stringify(answers)).not.toContain("PRIVATE KEY");
  });
});
