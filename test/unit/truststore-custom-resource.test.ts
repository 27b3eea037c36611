// The truststore custom resource answers CloudFormation on every path: it writes the CA certificate (and
// nothing else) to the truststore object and names its version; a delete leaves the object; a failure
// is a FAILED answer whose reason carries no secret, never a stack left waiting for an hour.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
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

beforeAll(async () => {
  ca = await createCertificateAuthority(Date.now());
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

/** The CA secret already holds the CA; S3 answers with a version. */
const awsWithCa = () => {
  vi.spyOn(SecretsManagerClient.prototype, "send").mockImplementation(async (command: unknown) => {
    if (
      command instanceof GetSecretValueCommand &&
      command.input.VersionId === certificateAuthorityVersionId
    ) {
      return { SecretString: JSON.stringify(ca) };
    }
    throw new Error("unexpected Secrets Manager call");
  });
  return vi.spyOn(S3Client.prototype, "send").mockImplementation(async (command: unknown) => {
    if (command instanceof PutObjectCommand) return { VersionId: "v-123" };
    throw new Error("unexpected S3 call");
  });
};

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
        Data: { VersionId: "v-123", CertificateSha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      }),
    ]);
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
