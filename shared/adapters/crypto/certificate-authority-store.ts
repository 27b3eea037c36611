// Where the service's issuing CA is kept, outside the table — its Secrets Manager secret on AWS, a file in
// DATA_DIR or memory locally — and the rule every store keeps: the CA is created at most once, and two
// callers that race to create it both end up with the one that was kept.
import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The CA as it is stored: its certificate and its private key (PKCS#8), both PEM. */
export interface StoredCertificateAuthority {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export type CreateCertificateAuthority = () =>
  | StoredCertificateAuthority
  | Promise<StoredCertificateAuthority>;

export interface CertificateAuthorityStore {
  /**
   * The CA; when there is none yet, `create` makes one and the store keeps it unless another caller's was
   * kept first, in which case that one is returned and this one is thrown away unused.
   */
  readOrCreate(create: CreateCertificateAuthority): Promise<StoredCertificateAuthority>;
}

export class CertificateAuthorityUnavailable extends Error {
  override readonly name = "CertificateAuthorityUnavailable";
}

/** Parses what a store holds, refusing anything that is not a CA as stored here. */
export const parseStoredCertificateAuthority = (text: string): StoredCertificateAuthority => {
  const value: unknown = JSON.parse(text);
  if (
    typeof value === "object" &&
    value !== null &&
    "certificatePem" in value &&
    "privateKeyPem" in value &&
    typeof value.certificatePem === "string" &&
    typeof value.privateKeyPem === "string"
  ) {
    return { certificatePem: value.certificatePem, privateKeyPem: value.privateKeyPem };
  }
  // The message never quotes the content: it holds a private key.
  throw new CertificateAuthorityUnavailable("The stored certificate authority is not readable");
};

/** Keeps one promise: concurrent and later callers share the first load; a failed load is retried. */
const once = (load: (create: CreateCertificateAuthority) => Promise<StoredCertificateAuthority>) => {
  let pending: Promise<StoredCertificateAuthority> | undefined;
  return (create: CreateCertificateAuthority) => {
    pending ??= load(create).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
};

/** In memory: one CA for the life of the process (npm start without DATA_DIR, tests). */
export const memoryCertificateAuthorityStore = (): CertificateAuthorityStore => ({
  readOrCreate: once(async (create) => create()),
});

/**
 * `<dataDir>/keys/certificate-authority.json`, readable by its owner only. The CA is written to a file of
 * its own and then linked into place, which fails if the name exists: of two processes sharing the folder,
 * the second reads the first one's CA, and nobody ever reads a half-written file.
 */
export const fileCertificateAuthorityStore = (dataDir: string): CertificateAuthorityStore => {
  const file = join(dataDir, "keys", "certificate-authority.json");
  const read = () => parseStoredCertificateAuthority(readFileSync(file, "utf8"));
  return {
    readOrCreate: once(async (create) => {
      try {
        return read();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
      const candidate = await create();
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      const draft = `${file}.${randomBytes(6).toString("hex")}.new`;
      writeFileSync(draft, JSON.stringify(candidate), { mode: 0o600, flag: "wx" });
      try {
        linkSync(draft, file);
        return candidate;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") return read();
        throw error;
      } finally {
        unlinkSync(draft);
      }
    }),
  };
};

/** A function that was given no access to the CA (every function but the certificates one, on AWS). */
export const unavailableCertificateAuthorityStore = (): CertificateAuthorityStore => ({
  readOrCreate: async () => {
    throw new CertificateAuthorityUnavailable("This function has no access to the certificate authority");
  },
});
