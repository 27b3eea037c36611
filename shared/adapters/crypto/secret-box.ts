// Encryption at rest for token secrets and card values: AES-256-GCM envelopes, under a KMS data key on AWS
// and under a key derived from the service master secret locally, bound to whose secret it is.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import {
  DecryptCommand,
  type DecryptCommandOutput,
  GenerateDataKeyCommand,
  type GenerateDataKeyCommandOutput,
} from "@aws-sdk/client-kms";

/**
 * Whose secret and what it is. It is bound into every sealed value (GCM additional data, and the KMS
 * encryption context), so a value copied to another principal's item, or a token secret presented as a card
 * value, does not open.
 */
export interface SecretContext {
  contractId: string;
  /** `null` for the administrator. */
  userId: string | null;
  purpose: "token-secret" | "card";
}

export interface SecretBox {
  /** Encrypts `plaintext` (a string is taken as UTF-8) into a self-describing string safe to store. */
  seal(plaintext: Uint8Array | string, context: SecretContext): Promise<string>;
  /** The plaintext, or `SecretBoxError` if the value was altered, is for another context or another key. */
  open(sealed: string, context: SecretContext): Promise<Buffer>;
}

/** A sealed value that does not open. Deliberately says no more: not why, and nothing of the value. */
export class SecretBoxError extends Error {
  override readonly name = "SecretBoxError";
  constructor(options?: ErrorOptions) {
    super("The sealed secret cannot be opened", options);
  }
}

type Mode = "local" | "kms";
const version = "sb1";
const ivBytes = 12;
const tagBytes = 16;

/** The principal as one string: `admin`, or `user:<userId>` (a user may be called "admin"). */
const principal = (context: SecretContext): string =>
  context.userId === null ? "admin" : `user:${context.userId}`;

/** The KMS encryption context: logged in CloudTrail, so only identifiers, never the secret. */
const encryptionContext = (context: SecretContext): Record<string, string> => ({
  contractId: context.contractId,
  principal: principal(context),
  purpose: context.purpose,
});

/** Additional data for GCM: the header and the context in a fixed order, so neither can be swapped. */
const additionalData = (mode: Mode, context: SecretContext): Buffer =>
  Buffer.from(
    JSON.stringify([version, mode, context.contractId, principal(context), context.purpose]),
    "utf8",
  );

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64url");
const unb64 = (text: string): Buffer => {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new SecretBoxError();
  return Buffer.from(text, "base64url");
};

const encrypt = (key: Uint8Array, plaintext: Uint8Array | string, aad: Buffer) => {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: tagBytes }).setAAD(aad);
  const data = typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext;
  const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
  return [b64(iv), b64(cipher.getAuthTag()), b64(ciphertext)];
};

const decrypt = (key: Uint8Array, parts: string[], aad: Buffer): Buffer => {
  const [iv, tag, ciphertext] = parts.map(unb64) as [Buffer, Buffer, Buffer];
  if (iv.length !== ivBytes || tag.length !== tagBytes) throw new SecretBoxError();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: tagBytes }).setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (error) {
    throw new SecretBoxError({ cause: error });
  }
};

/** Splits `sb1.<mode>.<part>…` and checks the version, the mode and the number of parts. */
const unpack = (sealed: string, mode: Mode, parts: number): string[] => {
  const fields = sealed.split(".");
  if (fields.length !== parts + 2 || fields[0] !== version || fields[1] !== mode) throw new SecretBoxError();
  return fields.slice(2);
};

/**
 * Locally: `sb1.local.<iv>.<tag>.<ciphertext>` under `ServiceKeys.secretBoxKey`. Random 96-bit IVs keep
 * AES-GCM safe up to 2^32 seals per key, far beyond the tokens and cards of a local run.
 */
export const localSecretBox = (key: Uint8Array): SecretBox => {
  if (key.length !== 32) throw new Error("The secret-box key must be 32 bytes");
  const box = Buffer.from(key);
  return {
    seal: async (plaintext, context) =>
      [version, "local", ...encrypt(box, plaintext, additionalData("local", context))].join("."),
    open: async (sealed, context) =>
      decrypt(box, unpack(sealed, "local", 3), additionalData("local", context)),
  };
};

/** The two KMS calls the box makes; a `KMSClient` is one, and so is a test's fake. */
export interface KmsDataKeys {
  send(command: GenerateDataKeyCommand): Promise<GenerateDataKeyCommandOutput>;
  send(command: DecryptCommand): Promise<DecryptCommandOutput>;
}

/**
 * On AWS: `sb1.kms.<wrapped data key>.<iv>.<tag>.<ciphertext>`. Every seal asks KMS for a fresh AES-256 data
 * key under the context; the key encrypts locally and only its KMS-wrapped form is kept. Opening asks KMS to
 * unwrap it with the same context and the expected key ID, so a value is readable only through this key and
 * only as the principal's own secret (every unwrap is in CloudTrail). Plaintext data keys are wiped after use.
 */
export const kmsSecretBox = (args: { kms: KmsDataKeys; keyId: string }): SecretBox => ({
  seal: async (plaintext, context) => {
    const { Plaintext, CiphertextBlob } = await args.kms.send(
      new GenerateDataKeyCommand({
        KeyId: args.keyId,
        KeySpec: "AES_256",
        EncryptionContext: encryptionContext(context),
      }),
    );
    if (Plaintext?.length !== 32 || !CiphertextBlob) throw new Error("KMS returned no data key");
    try {
      return [
        version,
        "kms",
        b64(CiphertextBlob),
        ...encrypt(Plaintext, plaintext, additionalData("kms", context)),
      ].join(".");
    } finally {
      Plaintext.fill(0);
    }
  },
  open: async (sealed, context) => {
    const [wrapped, ...rest] = unpack(sealed, "kms", 4) as [string, ...string[]];
    let dataKey: Uint8Array | undefined;
    try {
      ({ Plaintext: dataKey } = await args.kms.send(
        new DecryptCommand({
          CiphertextBlob: unb64(wrapped),
          KeyId: args.keyId,
          EncryptionContext: encryptionContext(context),
        }),
      ));
    } catch (error) {
      // KMS refuses a wrong context as InvalidCiphertextException: to the caller, that is a box that won't open.
      if (error instanceof Error && error.name === "InvalidCiphertextException")
        throw new SecretBoxError({ cause: error });
      throw error;
    }
    if (dataKey?.length !== 32) throw new Error("KMS returned no data key");
    try {
      return decrypt(dataKey, rest, additionalData("kms", context));
    } finally {
      dataKey.fill(0);
    }
  },
});
