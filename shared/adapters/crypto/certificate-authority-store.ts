// Where the service's issuing CAs are kept, outside the table — its Secrets Manager secret on AWS, files in
// DATA_DIR or memory locally — and the rules every store keeps: the set of CAs (the active one, and during a
// rollover the previous one) moves from revision to revision, each revision is written at most once, and of
// callers that race to write the same revision exactly one is kept (docs/decisions/005-client-certificate-ca.md).
import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** One CA as it is stored: its certificate and its private key (PKCS#8), both PEM. */
export interface StoredCertificateAuthority {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/**
 * The CAs of one revision: the active one issues every new certificate; during a rollover the previous one's
 * certificates are still trusted, until it is retired. Revision 1 is the first CA; each rollover begun and
 * each previous CA retired is the next revision.
 */
export interface CertificateAuthoritySet {
  readonly revision: number;
  readonly active: StoredCertificateAuthority;
  readonly previous?: StoredCertificateAuthority;
}

export type CreateCertificateAuthority = () =>
  | StoredCertificateAuthority
  | Promise<StoredCertificateAuthority>;

export interface CertificateAuthorityStore {
  /** The current set, read now (never cached); undefined before the first CA was made. */
  read(): Promise<CertificateAuthoritySet | undefined>;
  /**
   * The current set; when there is none yet, `create` makes the first CA and the store keeps it as revision 1
   * unless another caller's was kept first, in which case that one is returned and this one is dropped unused.
   */
  readOrCreate(create: CreateCertificateAuthority): Promise<CertificateAuthoritySet>;
  /**
   * Keeps `next` as revision `next.revision`, only if no set of that revision exists yet: a conditional write.
   * Of callers that read the same revision and race to write the next one, one is kept and the others get
   * CertificateAuthorityConflict — so one rollover makes exactly one new CA.
   */
  write(next: CertificateAuthoritySet): Promise<void>;
}

export class CertificateAuthorityUnavailable extends Error {
  override readonly name = "CertificateAuthorityUnavailable";
}

/** Another caller wrote this revision first. */
export class CertificateAuthorityConflict extends Error {
  override readonly name = "CertificateAuthorityConflict";
}

const isStoredCa = (value: unknown): value is StoredCertificateAuthority =>
  typeof value === "object" &&
  value !== null &&
  "certificatePem" in value &&
  "privateKeyPem" in value &&
  typeof value.certificatePem === "string" &&
  typeof value.privateKeyPem === "string";

const storedCa = (value: StoredCertificateAuthority): StoredCertificateAuthority => ({
  certificatePem: value.certificatePem,
  privateKeyPem: value.privateKeyPem,
});

/**
 * Parses what a store holds for `revision`, refusing anything that is not a set as stored here. Revision 1
 * may be the form written before rollovers existed: one CA, `{certificatePem, privateKeyPem}`.
 */
export const parseCertificateAuthoritySet = (text: string, revision: number): CertificateAuthoritySet => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (revision === 1 && isStoredCa(value)) return { revision: 1, active: storedCa(value) };
  if (
    typeof value === "object" &&
    value !== null &&
    "revision" in value &&
    value.revision === revision &&
    "active" in value &&
    isStoredCa(value.active) &&
    (!("previous" in value) || isStoredCa(value.previous))
  ) {
    return {
      revision,
      active: storedCa(value.active),
      ...("previous" in value && isStoredCa(value.previous) ? { previous: storedCa(value.previous) } : {}),
    };
  }
  // The message never quotes the content: it holds private keys.
  throw new CertificateAuthorityUnavailable("The stored certificate authority is not readable");
};

/** What a store writes for a set: always the full form, the revision inside. */
export const serializeCertificateAuthoritySet = (set: CertificateAuthoritySet): string =>
  JSON.stringify({
    revision: set.revision,
    active: storedCa(set.active),
    ...(set.previous ? { previous: storedCa(set.previous) } : {}),
  });

/** readOrCreate from read and write, the same for every store. */
const readOrCreateWith =
  (store: Pick<CertificateAuthorityStore, "read" | "write">) =>
  async (create: CreateCertificateAuthority): Promise<CertificateAuthoritySet> => {
    const current = await store.read();
    if (current) return current;
    const first: CertificateAuthoritySet = { revision: 1, active: await create() };
    try {
      await store.write(first);
      return first;
    } catch (error) {
      if (!(error instanceof CertificateAuthorityConflict)) throw error;
      const kept = await store.read();
      if (!kept) throw error;
      return kept;
    }
  };

/** In memory: the sets of the life of the process (npm start without DATA_DIR, tests). */
export const memoryCertificateAuthorityStore = (): CertificateAuthorityStore => {
  const revisions: CertificateAuthoritySet[] = [];
  const store = {
    read: async () => revisions.at(-1),
    write: async (next: CertificateAuthoritySet) => {
      if (next.revision !== revisions.length + 1)
        throw new CertificateAuthorityConflict(`Revision ${next.revision} of the CA set exists already`);
      revisions.push(next);
    },
  };
  return { ...store, readOrCreate: readOrCreateWith(store) };
};

/**
 * `<dataDir>/keys/certificate-authority.json` (revision 1) and `certificate-authority-v<N>.json`, readable by
 * their owner only. Each revision is written to a file of its own and then linked into place, which fails if
 * the name exists: of two processes sharing the folder only one writes a revision, and nobody ever reads a
 * half-written file. The current set is the highest revision there.
 */
export const fileCertificateAuthorityStore = (dataDir: string): CertificateAuthorityStore => {
  const keysDir = join(dataDir, "keys");
  const fileOf = (revision: number) =>
    join(keysDir, revision === 1 ? "certificate-authority.json" : `certificate-authority-v${revision}.json`);
  const readRevision = (revision: number): CertificateAuthoritySet | undefined => {
    try {
      return parseCertificateAuthoritySet(readFileSync(fileOf(revision), "utf8"), revision);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  };
  const store = {
    read: async () => {
      let current: CertificateAuthoritySet | undefined;
      for (let revision = 1; ; revision += 1) {
        const found = readRevision(revision);
        if (!found) return current;
        current = found;
      }
    },
    write: async (next: CertificateAuthoritySet) => {
      const file = fileOf(next.revision);
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      const draft = `${file}.${randomBytes(6).toString("hex")}.new`;
      writeFileSync(draft, serializeCertificateAuthoritySet(next), { mode: 0o600, flag: "wx" });
      try {
        linkSync(draft, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST")
          throw new CertificateAuthorityConflict(`Revision ${next.revision} of the CA set exists already`);
        throw error;
      } finally {
        unlinkSync(draft);
      }
    },
  };
  return { ...store, readOrCreate: readOrCreateWith(store) };
};

/** A function that was given no access to the CA (every function but the certificates one, on AWS). */
export const unavailableCertificateAuthorityStore = (): CertificateAuthorityStore => {
  const refuse = async (): Promise<never> => {
    throw new CertificateAuthorityUnavailable("This function has no access to the certificate authority");
  };
  return { read: refuse, readOrCreate: refuse, write: refuse };
};

export { readOrCreateWith };
