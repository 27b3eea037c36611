// A sealed token secret or card value opens only unaltered, under its key, as the same principal's secret.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import {
  DecryptCommand,
  type DecryptCommandOutput,
  GenerateDataKeyCommand,
  type GenerateDataKeyCommandOutput,
} from "@aws-sdk/client-kms";
import { describe, expect, it } from "vitest";
import {
  type KmsDataKeys,
  kmsSecretBox,
  localSecretBox,
  SecretBoxError,
  type SecretContext,
} from "#shared/adapters/crypto/secret-box";
import { deriveServiceKeys } from "#shared/adapters/crypto/service-keys";

const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const tanaka: SecretContext = { contractId: "12345678901", userId: "tanaka01", purpose: "token-secret" };
const others: [string, SecretContext][] = [
  ["another contract", { ...tanaka, contractId: "12345678902" }],
  ["another user", { ...tanaka, userId: "suzuki02" }],
  ["the administrator", { ...tanaka, userId: null }],
  ["another purpose", { ...tanaka, purpose: "card" }],
];

/** Flips one bit in the base64url part `index` of a sealed value. */
const tamper = (sealed: string, index: number): string => {
  const parts = sealed.split(".");
  const bytes = Buffer.from(parts[index] as string, "base64url");
  bytes[0] = (bytes[0] as number) ^ 1;
  parts[index] = bytes.toString("base64url");
  return parts.join(".");
};

describe("the local secret box", () => {
  const box = localSecretBox(deriveServiceKeys(randomBytes(32)).secretBoxKey);

  it("opens what it sealed, text or bytes", async () => {
    expect((await box.open(await box.seal(secret, tanaka), tanaka)).toString("utf8")).toBe(secret);
    const card = Buffer.from([0, 1, 2, 254, 255]);
    const cardContext: SecretContext = { contractId: "12345678901", userId: null, purpose: "card" };
    expect(await box.open(await box.seal(card, cardContext), cardContext)).toEqual(card);
  });

  it("writes sb1.local.<iv>.<tag>.<ciphertext>, a fresh IV each time, nothing of the plaintext", async () => {
    const a = await box.seal(secret, tanaka);
    const b = await box.seal(secret, tanaka);
    expect(a).toMatch(/^sb1\.local\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret);
    expect(a).not.toContain(Buffer.from(secret).toString("base64url"));
  });

  it.each([
    [2, "IV"],
    [3, "tag"],
    [4, "ciphertext"],
  ])("refuses a value whose %s was altered (part %s)", async (index) => {
    const sealed = await box.seal(secret, tanaka);
    await expect(box.open(tamper(sealed, index as number), tanaka)).rejects.toThrow(SecretBoxError);
  });

  it.each(others)("refuses to open it as %s's secret", async (_who, context) => {
    const sealed = await box.seal(secret, tanaka);
    await expect(box.open(sealed, context)).rejects.toThrow(SecretBoxError);
  });

  it("tells a user called admin from the administrator", async () => {
    const userAdmin: SecretContext = { ...tanaka, userId: "admin" };
    const sealed = await box.seal(secret, userAdmin);
    await expect(box.open(sealed, { ...tanaka, userId: null })).rejects.toThrow(SecretBoxError);
  });

  it("refuses another master secret's value, a truncated value and garbage, saying nothing more", async () => {
    const sealed = await box.seal(secret, tanaka);
    const other = localSecretBox(deriveServiceKeys(randomBytes(32)).secretBoxKey);
    for (const bad of [
      other.open(sealed, tanaka),
      box.open(sealed.split(".").slice(0, 4).join("."), tanaka),
      box.open(`${sealed}.x`, tanaka),
      box.open(sealed.replace("sb1.", "sb2."), tanaka),
      box.open("not a sealed value", tanaka),
      box.open(sealed.replace(/\.[^.]+$/, ".!!!"), tanaka),
    ]) {
      await expect(bad).rejects.toThrow(new SecretBoxError());
    }
  });

  it("refuses a key that is not 32 bytes", () => {
    expect(() => localSecretBox(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});

describe("the service keys", () => {
  it("derive the secret-box key from the master secret: stable across restarts, apart from the pepper", () => {
    const master = randomBytes(32);
    const keys = deriveServiceKeys(master);
    expect(keys.secretBoxKey).toHaveLength(32);
    expect(deriveServiceKeys(Buffer.from(master)).secretBoxKey).toEqual(keys.secretBoxKey);
    expect(keys.secretBoxKey).not.toEqual(keys.pepper);
  });
});

/**
 * A stand-in for KMS's two calls (not a database): it wraps data keys under its own key with the
 * encryption context as additional data, so a wrong context fails as it does on AWS, and it records requests.
 */
class FakeKms implements KmsDataKeys {
  readonly requests: { command: string; input: unknown }[] = [];
  /** The plaintext data keys handed out, to check that the box wipes them. */
  readonly handedOut: Uint8Array[] = [];
  private readonly masterKey = randomBytes(32);
  constructor(private readonly keyId: string) {}

  private aad(keyId: string | undefined, context: Record<string, string> | undefined) {
    return Buffer.from(JSON.stringify([keyId, Object.entries(context ?? {}).sort()]));
  }

  send(command: GenerateDataKeyCommand): Promise<GenerateDataKeyCommandOutput>;
  send(command: DecryptCommand): Promise<DecryptCommandOutput>;
  async send(
    command: GenerateDataKeyCommand | DecryptCommand,
  ): Promise<GenerateDataKeyCommandOutput | DecryptCommandOutput> {
    const input = command.input;
    this.requests.push({ command: command.constructor.name, input });
    if (input.KeyId !== this.keyId)
      throw Object.assign(new Error("wrong key"), { name: "IncorrectKeyException" });
    const aad = this.aad(input.KeyId, input.EncryptionContext);
    if (command instanceof GenerateDataKeyCommand) {
      const dataKey = new Uint8Array(randomBytes(32));
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", this.masterKey, iv).setAAD(aad);
      const wrapped = Buffer.concat([iv, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
      this.handedOut.push(dataKey);
      return {
        $metadata: {},
        Plaintext: dataKey,
        CiphertextBlob: new Uint8Array(wrapped),
        KeyId: this.keyId,
      };
    }
    const blob = Buffer.from(command.input.CiphertextBlob as Uint8Array);
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.masterKey, blob.subarray(0, 12)).setAAD(aad);
      decipher.setAuthTag(blob.subarray(-16));
      const dataKey = Buffer.concat([decipher.update(blob.subarray(12, -16)), decipher.final()]);
      return { $metadata: {}, Plaintext: new Uint8Array(dataKey), KeyId: this.keyId };
    } catch {
      throw Object.assign(new Error("invalid ciphertext"), { name: "InvalidCiphertextException" });
    }
  }
}

describe("the KMS secret box", () => {
  const keyId = "arn:aws:kms:ap-northeast-1:111122223333:key/0000aaaa-bb11-cc22-dd33-eeeeffff0000";

  it("asks KMS for an AES-256 data key under the principal's context, and unwraps it with the same", async () => {
    const kms = new FakeKms(keyId);
    const box = kmsSecretBox({ kms, keyId });
    const sealed = await box.seal(secret, tanaka);
    expect((await box.open(sealed, tanaka)).toString()).toBe(secret);

    const context = { contractId: "12345678901", principal: "user:tanaka01", purpose: "token-secret" };
    const [generate, decrypt] = kms.requests;
    expect(generate).toEqual({
      command: GenerateDataKeyCommand.name,
      input: { KeyId: keyId, KeySpec: "AES_256", EncryptionContext: context },
    });
    expect(decrypt).toEqual({
      command: DecryptCommand.name,
      input: { CiphertextBlob: expect.any(Uint8Array), KeyId: keyId, EncryptionContext: context },
    });
    // The wrapped key stored in the value is what goes back to KMS.
    const wrapped = Buffer.from(sealed.split(".")[2] as string, "base64url");
    const sent = decrypt?.input as { CiphertextBlob: Uint8Array } | undefined;
    expect(Buffer.from(sent?.CiphertextBlob ?? [])).toEqual(wrapped);
  });

  it("writes sb1.kms.<wrapped key>.<iv>.<tag>.<ciphertext> and wipes the plaintext data key", async () => {
    const kms = new FakeKms(keyId);
    const sealed = await kmsSecretBox({ kms, keyId }).seal(secret, tanaka);
    expect(sealed).toMatch(
      /^sb1\.kms\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/,
    );
    expect(sealed).not.toContain(secret);
    expect(kms.handedOut[0]?.every((byte) => byte === 0)).toBe(true);
  });

  it("uses the administrator's principal for a null user ID", async () => {
    const kms = new FakeKms(keyId);
    await kmsSecretBox({ kms, keyId }).seal(secret, { ...tanaka, userId: null, purpose: "card" });
    expect(kms.requests[0]?.input).toMatchObject({
      EncryptionContext: { contractId: "12345678901", principal: "admin", purpose: "card" },
    });
  });

  it.each(others)("refuses to open it as %s's secret (KMS refuses the context)", async (_who, context) => {
    const kms = new FakeKms(keyId);
    const box = kmsSecretBox({ kms, keyId });
    const sealed = await box.seal(secret, tanaka);
    await expect(box.open(sealed, context)).rejects.toThrow(SecretBoxError);
  });

  it.each([
    [2, "wrapped key"],
    [3, "IV"],
    [4, "tag"],
    [5, "ciphertext"],
  ])("refuses a value whose %s was altered (part %s)", async (index) => {
    const kms = new FakeKms(keyId);
    const box = kmsSecretBox({ kms, keyId });
    const sealed = await box.seal(secret, tanaka);
    await expect(box.open(tamper(sealed, index as number), tanaka)).rejects.toThrow(SecretBoxError);
  });

  it("does not open a local value, and the local box does not open a KMS value", async () => {
    const kms = new FakeKms(keyId);
    const box = kmsSecretBox({ kms, keyId });
    const local = localSecretBox(randomBytes(32));
    await expect(box.open(await local.seal(secret, tanaka), tanaka)).rejects.toThrow(SecretBoxError);
    await expect(local.open(await box.seal(secret, tanaka), tanaka)).rejects.toThrow(SecretBoxError);
  });

  it("passes on KMS failures other than a refused ciphertext (throttling, permissions)", async () => {
    const box = kmsSecretBox({ kms: new FakeKms("another-key"), keyId });
    await expect(box.seal(secret, tanaka)).rejects.toThrow("wrong key");
  });
});
