// The ports every use case receives: where the data lives, what time it is, how the service is set up,
// and the service's keys. Lambda entries build them from the environment; tests and the local server
// build their own.
import { secretsManagerCertificateAuthorityStore } from "#shared/adapters/aws/certificate-authority-secret";
import { readServiceSecret } from "#shared/adapters/aws/service-secret";
import {
  type CertificateAuthorityStore,
  fileCertificateAuthorityStore,
  memoryCertificateAuthorityStore,
  unavailableCertificateAuthorityStore,
} from "#shared/adapters/crypto/certificate-authority-store";
import { kmsSecretBox, localSecretBox, type SecretBox } from "#shared/adapters/crypto/secret-box";
import { productionHashParameters, type SecretHashParameters } from "#shared/adapters/crypto/secret-hash";
import { deriveServiceKeys, localMasterSecret, type ServiceKeys } from "#shared/adapters/crypto/service-keys";
import { createTable, type Table } from "#shared/adapters/dynamodb/client";
import { type Clock, systemClock } from "#shared/clock";
import { type Config, loadConfig } from "#shared/config";

export interface Deps {
  readonly config: Config;
  readonly table: Table;
  readonly clock: Clock;
  /** What a PIN or password hash costs: the production setting, unless a test's deps choose a cheaper one. */
  readonly secretHashing: SecretHashParameters;
  /** Loaded once, on first use (Secrets Manager on AWS). */
  keys(): Promise<ServiceKeys>;
  /** Where the client-certificate CA is kept; only the certificates function's code opens it. */
  readonly certificateAuthority: CertificateAuthorityStore;
  /** Seals and opens token secrets and card values (KMS on AWS, the service keys locally). */
  secretBox(): Promise<SecretBox>;
}

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

/** On AWS only a function given the CA secret reaches the CA; locally a file in DATA_DIR, or memory. */
const certificateAuthorityStore = (config: Config): CertificateAuthorityStore => {
  if (config.certificateAuthoritySecretArn) {
    return secretsManagerCertificateAuthorityStore(config.certificateAuthoritySecretArn, config.region);
  }
  if (config.serviceSecretArn) return unavailableCertificateAuthorityStore();
  return config.dataDir ? fileCertificateAuthorityStore(config.dataDir) : memoryCertificateAuthorityStore();
};

export const createDeps = (
  config: Config = loadConfig(),
  clock: Clock = systemClock,
  secretHashing: SecretHashParameters = productionHashParameters,
): Deps => {
  const keys = memoise(async () =>
    deriveServiceKeys(
      config.serviceSecretArn
        ? await readServiceSecret(config.serviceSecretArn, config.region)
        : localMasterSecret(config.dataDir),
    ),
  );
  const kmsKeyId = config.secretBoxKmsKeyId;
  return {
    config,
    table: createTable(config),
    clock,
    secretHashing,
    keys,
    certificateAuthority: certificateAuthorityStore(config),
    secretBox: memoise(async () => {
      if (!kmsKeyId) return localSecretBox((await keys()).secretBoxKey);
      const { KMSClient } = await import("@aws-sdk/client-kms");
      return kmsSecretBox({ kms: new KMSClient({ region: config.region }), keyId: kmsKeyId });
    }),
  };
};
