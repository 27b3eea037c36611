// The CA is created at most once per deployment: racing creators — two processes on one DATA_DIR, two cold
// starts on one Secrets Manager secret — all end up with the one CA that was kept.
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import {
  certificateAuthorityVersionId,
  secretsManagerCertificateAuthorityStore,
} from "#shared/adapters/aws/certificate-authority-secret";
import {
  CertificateAuthorityUnavailable,
  fileCertificateAuthorityStore,
  memoryCertificateAuthorityStore,
  type StoredCertificateAuthority,
  unavailableCertificateAuthorityStore,
} from "#shared/adapters/crypto/certificate-authority-store";

/** Stand-ins for a created CA: the stores keep whatever they are given, unread. */
const candidate = (name: string): StoredCertificateAuthority => ({
  certificatePem: `certificate ${name}`,
  privateKeyPem: `key ${name}`,
});

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});
const dataDir = () => {
  const folder = mkdtempSync(join(tmpdir(), "corporate-ib-ca-"));
  folders.push(folder);
  return folder;
};

describe("the local CA file", () => {
  it("is created once: two processes racing on one DATA_DIR both get the first one kept", async () => {
    const dir = dataDir();
    const [first, second] = await Promise.all([
      fileCertificateAuthorityStore(dir).readOrCreate(() => candidate("a")),
      fileCertificateAuthorityStore(dir).readOrCreate(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return candidate("b");
      }),
    ]);
    expect(second).toEqual(first);
    const later = await fileCertificateAuthorityStore(dir).readOrCreate(() => candidate("c"));
    expect(later).toEqual(first);
    expect(readdirSync(join(dir, "keys"))).toEqual(["certificate-authority.json"]);
    expect(statSync(join(dir, "keys", "certificate-authority.json")).mode & 0o777).toBe(0o600);
  });

  it("refuses a file that is not a CA as stored, without quoting it", async () => {
    const dir = dataDir();
    const store = fileCertificateAuthorityStore(dir);
    await store.readOrCreate(() => ({ certificatePem: 1, privateKeyPem: "secret" }) as never);
    await expect(fileCertificateAuthorityStore(dir).readOrCreate(() => candidate("x"))).rejects.toThrow(
      /^The stored certificate authority is not readable$/,
    );
  });
});

describe("the in-memory CA", () => {
  it("is created on first use and kept for the process", async () => {
    const store = memoryCertificateAuthorityStore();
    const create = vi.fn(() => candidate("m"));
    const all = await Promise.all([store.readOrCreate(create), store.readOrCreate(create)]);
    expect(await store.readOrCreate(create)).toEqual(all[0]);
    expect(create).toHaveBeenCalledTimes(1);
  });
});

describe("a function without the CA secret", () => {
  it("cannot reach the CA, rather than making one of its own", async () => {
    await expect(
      unavailableCertificateAuthorityStore().readOrCreate(() => candidate("z")),
    ).rejects.toBeInstanceOf(CertificateAuthorityUnavailable);
  });
});

/**
 * Secrets Manager's documented PutSecretValue rule, which the store relies on: a ClientRequestToken that
 * names an existing version is accepted only with the same value; a different value is refused.
 */
const fakeSecretsManager = () => {
  const versions = new Map<string, string>();
  const send = vi
    .spyOn(SecretsManagerClient.prototype, "send")
    .mockImplementation(async (command: unknown) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (command instanceof GetSecretValueCommand) {
        const value = versions.get(command.input.VersionId ?? "");
        if (value === undefined)
          throw new ResourceNotFoundException({ message: "no such version", $metadata: {} });
        return { SecretString: value, VersionId: command.input.VersionId };
      }
      if (command instanceof PutSecretValueCommand) {
        const { ClientRequestToken: token = "", SecretString: value = "" } = command.input;
        const existing = versions.get(token);
        if (existing !== undefined && existing !== value) {
          throw new ResourceExistsException({ message: "version exists", $metadata: {} });
        }
        versions.set(token, value);
        return { VersionId: token };
      }
      throw new Error("unexpected command");
    });
  return { versions, send };
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the CA secret on AWS", () => {
  const arn = "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:ca-AbCdEf";

  it("is created once: cold starts racing to create it all use the one version Secrets Manager kept", async () => {
    const { versions } = fakeSecretsManager();
    const results = await Promise.all(
      ["a", "b", "c", "d"].map((name) =>
        secretsManagerCertificateAuthorityStore(arn, "ap-northeast-1").readOrCreate(() => candidate(name)),
      ),
    );
    expect(new Set(results.map((result) => result.certificatePem)).size).toBe(1);
    expect([...versions.keys()]).toEqual([certificateAuthorityVersionId]);
    expect(certificateAuthorityVersionId.length).toBeGreaterThanOrEqual(32);
    expect(certificateAuthorityVersionId.length).toBeLessThanOrEqual(64);
  });

  it("reads the kept CA on later cold starts without creating another", async () => {
    const { versions } = fakeSecretsManager();
    versions.set(certificateAuthorityVersionId, JSON.stringify(candidate("kept")));
    const create = vi.fn(() => candidate("new"));
    expect(await secretsManagerCertificateAuthorityStore(arn, "ap-northeast-1").readOrCreate(create)).toEqual(
      candidate("kept"),
    );
    expect(create).not.toHaveBeenCalled();
  });

  it("passes on an error that is not a missing CA, and tries again on the next call", async () => {
    const { send } = fakeSecretsManager();
    send.mockRejectedValueOnce(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
    const store = secretsManagerCertificateAuthorityStore(arn, "ap-northeast-1");
    await expect(store.readOrCreate(() => candidate("x"))).rejects.toThrow("denied");
    expect(await store.readOrCreate(() => candidate("y"))).toEqual(candidate("y"));
  });
});
