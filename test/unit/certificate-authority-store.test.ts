// The CA is created at most once per deployment: racing creators — two processes on one DATA_DIR, two cold
// starts on one Secrets Manager secret — all end up with the one CA that was kept. A rollover's next revision
// of the CA set is written at most once too: of writers racing from one revision, exactly one is kept.
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
  CertificateAuthorityConflict,
  type CertificateAuthoritySet,
  type CertificateAuthorityStore,
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
    expect(first.revision).toBe(1);
    const later = await fileCertificateAuthorityStore(dir).readOrCreate(() => candidate("c"));
    expect(later).toEqual(first);
    expect(readdirSync(join(dir, "keys"))).toEqual(["certificate-authority.json"]);
    expect(statSync(join(dir, "keys", "certificate-authority.json")).mode & 0o777).toBe(0o600);
  });

  it("refuses a file that is not a CA as stored, without quoting it", async () => {
    const dir = dataDir();
    const store = fileCertificateAuthorityStore(dir);
    await store.readOrCreate(() => ({ certificatePem: 1, privateKeyPem: "secret" }) as never);
    await expect(fileCertificateAuthorityStore(dir).read()).rejects.toThrow(
      /^The stored certificate authority is not readable$/,
    );
    await expect(fileCertificateAuthorityStore(dir).readOrCreate(() => candidate("x"))).rejects.toThrow(
      /^The stored certificate authority is not readable$/,
    );
  });
});

describe("the in-memory CA", () => {
  it("is created on first use and kept for the process: racing first uses all get the one kept", async () => {
    const store = memoryCertificateAuthorityStore();
    const all = await Promise.all([
      store.readOrCreate(() => candidate("m")),
      store.readOrCreate(() => candidate("n")),
    ]);
    expect(all[1]).toEqual(all[0]);
    const create = vi.fn(() => candidate("o"));
    expect(await store.readOrCreate(create)).toEqual(all[0]);
    expect(create).not.toHaveBeenCalled();
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
  let current: string | undefined;
  const send = vi
    .spyOn(SecretsManagerClient.prototype, "send")
    .mockImplementation(async (command: unknown) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (command instanceof GetSecretValueCommand) {
        // No version named: AWSCURRENT, which every put without stages moves to its version.
        const versionId = command.input.VersionId ?? current ?? "placeholder";
        if (versionId === "placeholder")
          return { SecretString: "generated", VersionId: "placeholder-version" };
        const value = versions.get(versionId);
        if (value === undefined)
          throw new ResourceNotFoundException({ message: "no such version", $metadata: {} });
        return { SecretString: value, VersionId: versionId };
      }
      if (command instanceof PutSecretValueCommand) {
        const { ClientRequestToken: token = "", SecretString: value = "" } = command.input;
        const existing = versions.get(token);
        if (existing !== undefined && existing !== value) {
          throw new ResourceExistsException({ message: "version exists", $metadata: {} });
        }
        if (existing === undefined) current = token;
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
    expect(new Set(results.map((result) => result.active.certificatePem)).size).toBe(1);
    expect([...versions.keys()]).toEqual([certificateAuthorityVersionId(1)]);
    expect(certificateAuthorityVersionId(1)).toBe("corporate-ib-certificate-authority-v1-0000000000");
    for (const revision of [1, 999_999]) {
      expect(certificateAuthorityVersionId(revision).length).toBeGreaterThanOrEqual(32);
      expect(certificateAuthorityVersionId(revision).length).toBeLessThanOrEqual(64);
    }
  });

  it("reads the CA a deployment kept before rollovers existed, without creating another", async () => {
    const { versions } = fakeSecretsManager();
    versions.set(certificateAuthorityVersionId(1), JSON.stringify(candidate("kept")));
    const create = vi.fn(() => candidate("new"));
    expect(await secretsManagerCertificateAuthorityStore(arn, "ap-northeast-1").readOrCreate(create)).toEqual(
      {
        revision: 1,
        active: candidate("kept"),
      },
    );
    expect(create).not.toHaveBeenCalled();
  });

  it("passes on an error that is not a missing CA, and tries again on the next call", async () => {
    const { send } = fakeSecretsManager();
    send.mockRejectedValueOnce(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
    const store = secretsManagerCertificateAuthorityStore(arn, "ap-northeast-1");
    await expect(store.readOrCreate(() => candidate("x"))).rejects.toThrow("denied");
    expect((await store.readOrCreate(() => candidate("y"))).active).toEqual(candidate("y"));
  });
});

const rolledOver = (from: CertificateAuthoritySet, name: string): CertificateAuthoritySet => ({
  revision: from.revision + 1,
  active: candidate(name),
  previous: from.active,
});

/** The rules every store keeps, whatever holds it. */
const rolloverRules = (make: () => CertificateAuthorityStore) => {
  it("moves from revision to revision: a rollover keeps the old CA as the previous one, a retirement drops it", async () => {
    const store = make();
    expect(await store.read()).toBeUndefined();
    const first = await store.readOrCreate(() => candidate("one"));
    const overlap = rolledOver(first, "two");
    await store.write(overlap);
    expect(await store.read()).toEqual(overlap);
    const retired = { revision: 3, active: candidate("two") };
    await store.write(retired);
    expect(await store.read()).toEqual(retired);
    expect(await store.readOrCreate(() => candidate("never"))).toEqual(retired);
  });

  it("keeps exactly one of the next revisions written at once from the same one", async () => {
    const store = make();
    const first = await store.readOrCreate(() => candidate("one"));
    const results = await Promise.allSettled(
      ["a", "b", "c", "d"].map((name) => store.write(rolledOver(first, name))),
    );
    const kept = results.filter((result) => result.status === "fulfilled");
    expect(kept).toHaveLength(1);
    for (const result of results) {
      if (result.status === "rejected") expect(result.reason).toBeInstanceOf(CertificateAuthorityConflict);
    }
    const now = await store.read();
    expect(now?.revision).toBe(2);
    expect(now?.previous).toEqual(candidate("one"));
    // A writer that read an older revision cannot overwrite the newer one.
    await expect(store.write(rolledOver(first, "late"))).rejects.toBeInstanceOf(CertificateAuthorityConflict);
    expect(await store.read()).toEqual(now);
  });
};

describe("the CA set in memory", () => rolloverRules(memoryCertificateAuthorityStore));
describe("the CA set in DATA_DIR", () => {
  rolloverRules(() => fileCertificateAuthorityStore(dataDir()));

  it("keeps each revision in a file of its own, readable by its owner only, and shared by processes", async () => {
    const dir = dataDir();
    const first = await fileCertificateAuthorityStore(dir).readOrCreate(() => candidate("one"));
    await fileCertificateAuthorityStore(dir).write(rolledOver(first, "two"));
    expect(readdirSync(join(dir, "keys")).sort()).toEqual([
      "certificate-authority-v2.json",
      "certificate-authority.json",
    ]);
    expect(statSync(join(dir, "keys", "certificate-authority-v2.json")).mode & 0o777).toBe(0o600);
    expect((await fileCertificateAuthorityStore(dir).read())?.active).toEqual(candidate("two"));
  });
});
describe("the CA set in Secrets Manager", () => {
  rolloverRules(() => {
    fakeSecretsManager();
    return secretsManagerCertificateAuthorityStore(
      "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:ca-AbCdEf",
      "ap-northeast-1",
    );
  });

  it("writes revision N to version v<N> and finds it even when AWSCURRENT still names an older one", async () => {
    const { versions } = fakeSecretsManager();
    const store = secretsManagerCertificateAuthorityStore(
      "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:ca-AbCdEf",
      "ap-northeast-1",
    );
    const first = await store.readOrCreate(() => candidate("one"));
    await store.write(rolledOver(first, "two"));
    expect([...versions.keys()]).toEqual([
      certificateAuthorityVersionId(1),
      certificateAuthorityVersionId(2),
    ]);
    expect(JSON.parse(versions.get(certificateAuthorityVersionId(2)) ?? "{}")).toEqual(
      rolledOver(first, "two"),
    );
    // A third revision written behind the label's back: still found.
    versions.set(certificateAuthorityVersionId(3), JSON.stringify({ revision: 3, active: candidate("two") }));
    expect((await store.read())?.revision).toBe(3);
  });
});
