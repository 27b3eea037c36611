// The ports every use case receives: the repositories of each area of storage (never the table itself),
// the store of batch files, what time it is, how the service is set up, where business events are
// counted, and the service's keys. Lambda entries build them from the environment; tests and the local
// server build their own, over a table they keep (createTableDeps).
import { join } from "node:path";
import { folderBlobStore } from "#shared/adapters/blobs/folder";
import { memoryBlobStore } from "#shared/adapters/blobs/memory";
import {
  type CertificateAuthorityStore,
  fileCertificateAuthorityStore,
  memoryCertificateAuthorityStore,
  unavailableCertificateAuthorityStore,
} from "#shared/adapters/crypto/certificate-authority-store";
import type { SecretBox } from "#shared/adapters/crypto/secret-box";
import { productionHashParameters, type SecretHashParameters } from "#shared/adapters/crypto/secret-hash";
import { deriveServiceKeys, localMasterSecret, type ServiceKeys } from "#shared/adapters/crypto/service-keys";
import { createTable, type Table } from "#shared/adapters/dynamodb/client";
import { type Clock, systemClock } from "#shared/clock";
import { type Config, loadConfig } from "#shared/config";
import { type BusinessMetrics, emfMetrics } from "#shared/observability";
import type { BatchRepository, BlobStore } from "./batches/ports.ts";
import type { PayeeRepository } from "./payees/ports.ts";
import type {
  AccountRepository,
  AuditRepository,
  CertificateRepository,
  ContractRepository,
  HealthCheck,
  MailRepository,
  PasskeyRepository,
  PrincipalRepository,
  StopRepository,
  TokenRepository,
  Transactions,
  UserRepository,
} from "./ports.ts";
import type { TransferRepository } from "./transfers/ports.ts";

export interface Deps {
  readonly config: Config;
  /** Writes several areas' items in one transaction. */
  readonly transactions: Transactions;
  /** The audit trail. */
  readonly audit: AuditRepository;
  /** Mail: the outbox a change writes its mails into, the sender's claims on them, and suppressed addresses. */
  readonly mail: MailRepository;
  /** Principals and what a logon writes on them: sessions, strikes and locks, attempt counters, PINs and card challenges. */
  readonly principals: PrincipalRepository;
  /** Software tokens: the pointer from a token to its holder and what a token's lifecycle writes on its principal. */
  readonly tokens: TokenRepository;
  /** Stops of a principal or of the whole contract, and a contract's restart. */
  readonly stops: StopRepository;
  /** The contract's users as the administrator manages them, and the deletions still being finished. */
  readonly users: UserRepository;
  /** Passkeys: registrations, their challenges, their use at logon, renames, stops and removals. */
  readonly passkeys: PasskeyRepository;
  /** Client certificates, their slots, and the certificate authorities' published set and audit. */
  readonly certificates: CertificateRepository;
  /** Whether the table answers a read. */
  readonly health: HealthCheck;
  /** Transfers: their items, moves, executions, schedule and Idempotency-Key records. */
  readonly transfers: TransferRepository;
  /** Accounts, their balances and their ledger. */
  readonly accounts: AccountRepository;
  /** Contracts: their opening, their principals, the administrator's reset and the approval policy. */
  readonly contracts: ContractRepository;
  /** Batches: their items, moves, schedule and executions. */
  readonly batches: BatchRepository;
  /** The payee book's storage (design §10). */
  readonly payees: PayeeRepository;
  readonly clock: Clock;
  /** Where the business events are counted (EMF on AWS); published once per invocation. */
  readonly metrics: BusinessMetrics;
  /** What a PIN or password hash costs: the production setting, unless a test's deps choose a cheaper one. */
  readonly secretHashing: SecretHashParameters;
  /** Loaded once, on first use (Secrets Manager on AWS). */
  keys(): Promise<ServiceKeys>;
  /** Where the client-certificate CA is kept; only the certificates function's code opens it. */
  readonly certificateAuthority: CertificateAuthorityStore;
  /** Seals and opens token secrets and card values (KMS on AWS, the service keys locally). */
  secretBox(): Promise<SecretBox>;
  /** Batch files: their canonical lines and the clearing files (S3 on AWS, DATA_DIR/blobs locally). */
  readonly blobs: BlobStore;
  /** The console distribution's origin secret (shared/http/viewer-address.ts); undefined when none is set. */
  originSecret(): Promise<string | undefined>;
}

/** The storage ports: the repositories of each area, over the table. */
export const storageNames = [
  "transactions",
  "audit",
  "mail",
  "principals",
  "tokens",
  "stops",
  "users",
  "passkeys",
  "certificates",
  "health",
  "transfers",
  "accounts",
  "contracts",
  "batches",
  "payees",
] as const satisfies readonly (keyof Deps)[];

export type StorageName = (typeof storageNames)[number];

/**
 * How a function's storage ports are built over the table, one factory per area its routes use: a
 * function's bundle holds only the repositories it names (decision 002). The tests and the local stack
 * pass every factory (table-deps.ts).
 */
export type Storage = { readonly [K in StorageName]?: (table: Table) => Deps[K] };

/**
 * A port this function was not given: any use of it throws, naming the port, instead of reaching the
 * table. The route handlers give their routes only the function's own ports (withStorage), so a test of
 * a route that uses an area its function does not name fails the same way a deployed function would.
 */
const absentPort = (name: StorageName): never =>
  new Proxy(
    {},
    {
      get: (_, property) => {
        if (typeof property === "symbol" || property === "then" || property === "toJSON") return undefined;
        throw new Error(`This function has no ${name} storage: its storage list does not name it`);
      },
    },
  ) as never;

/** The ports `storage` names, over `table`; the others absent. */
export const storagePorts = (storage: Storage, table: Table): Pick<Deps, StorageName> =>
  Object.fromEntries(
    storageNames.map((name) => [name, storage[name]?.(table) ?? absentPort(name)]),
  ) as unknown as Pick<Deps, StorageName>;

/** The same deps with only `storage`'s ports: the others are absent, as in the function's own deps. */
export const withStorage = <D extends Deps>(deps: D, storage: Storage): D => {
  const absent = storageNames.filter((name) => !storage[name]);
  return { ...deps, ...Object.fromEntries(absent.map((name) => [name, absentPort(name)])) };
};

const memoise = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
};

/**
 * On AWS only a function given the CA secret reaches the CA; locally a file in DATA_DIR, or memory. The
 * Secrets Manager client loads with the first use of the CA, not at a cold start.
 */
const certificateAuthorityStore = (config: Config): CertificateAuthorityStore => {
  const secretArn = config.certificateAuthoritySecretArn;
  if (secretArn) {
    const store = memoise(async () =>
      (
        await import("#shared/adapters/aws/certificate-authority-secret")
      ).secretsManagerCertificateAuthorityStore(secretArn, config.region),
    );
    return {
      read: async () => (await store()).read(),
      readOrCreate: async (create) => (await store()).readOrCreate(create),
      write: async (next) => (await store()).write(next),
    };
  }
  if (config.serviceSecretArn) return unavailableCertificateAuthorityStore();
  return config.dataDir ? fileCertificateAuthorityStore(config.dataDir) : memoryCertificateAuthorityStore();
};

/**
 * On AWS the data stack's bucket (its client loaded with the first file); locally a folder in DATA_DIR, or
 * memory. A deployed function without the bucket has no batch files, and says so when one is asked for.
 */
const blobStore = (config: Config): BlobStore => {
  const bucket = config.batchBucketName;
  if (bucket) {
    const store = memoise(async () =>
      (await import("#shared/adapters/aws/s3-blob-store")).s3BlobStore(bucket, config.region),
    );
    return {
      put: async (key, bytes) => (await store()).put(key, bytes),
      get: async (key) => (await store()).get(key),
      getRange: async (key, start, end) => (await store()).getRange(key, start, end),
      delete: async (key) => (await store()).delete(key),
    };
  }
  if (config.serviceSecretArn) {
    const none = async (): Promise<never> => {
      throw new Error("This function has no bucket for batch files (BATCH_BUCKET_NAME)");
    };
    return { put: none, get: none, getRange: none, delete: none };
  }
  return config.dataDir ? folderBlobStore(join(config.dataDir, "blobs")) : memoryBlobStore();
};

/** A function's deps: `storage` names the areas it uses; the keys and clients load with their first use. */
export const createDeps = (
  storage: Storage,
  config: Config = loadConfig(),
  clock: Clock = systemClock,
  secretHashing: SecretHashParameters = productionHashParameters,
  table: Table = createTable(config),
): Deps => {
  // The Secrets Manager client loads with the first read of the keys, which public routes never make.
  const keys = memoise(async () =>
    deriveServiceKeys(
      config.serviceSecretArn
        ? await (await import("#shared/adapters/aws/service-secret")).readServiceSecret(
            config.serviceSecretArn,
            config.region,
          )
        : localMasterSecret(config.dataDir),
    ),
  );
  const kmsKeyId = config.secretBoxKmsKeyId;
  const { originVerify } = config;
  return {
    config,
    ...storagePorts(storage, table),
    clock,
    metrics: emfMetrics,
    secretHashing,
    keys,
    certificateAuthority: certificateAuthorityStore(config),
    blobs: blobStore(config),
    secretBox: memoise(async () => {
      // On AWS a function without the sealed-secrets key may not seal or open: never fall back to a local key.
      if (!kmsKeyId && config.serviceSecretArn) {
        throw new Error("This function has no key for token secrets and card cells (SECRET_BOX_KMS_KEY_ID)");
      }
      // The box and the KMS client load with the first token secret or card value sealed or opened.
      if (!kmsKeyId) {
        const { localSecretBox } = await import("#shared/adapters/crypto/secret-box");
        return localSecretBox((await keys()).secretBoxKey);
      }
      return (await import("#shared/adapters/aws/kms-secret-box")).awsSecretBox(config.region, kmsKeyId);
    }),
    originSecret: memoise(async () => {
      if (!originVerify) return undefined;
      if (originVerify.source === "value") return originVerify.value;
      const { readServiceSecret } = await import("#shared/adapters/aws/service-secret");
      return (await readServiceSecret(originVerify.secretArn, config.region)).toString("utf8");
    }),
  };
};
