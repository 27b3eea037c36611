// Keeps the service's issuing CA in its Secrets Manager secret, created exactly once per deployment: the CA
// lives in one fixed version of the secret, and Secrets Manager refuses a second, different value under a
// version ID that exists (docs/decisions/005-client-certificate-ca.md).
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import {
  type CertificateAuthorityStore,
  type CreateCertificateAuthority,
  parseStoredCertificateAuthority,
  type StoredCertificateAuthority,
} from "#shared/adapters/crypto/certificate-authority-store";

/**
 * The version that holds the CA (Secrets Manager takes 32–64 characters). Whoever creates the CA puts it
 * under this ID; a racing second creator's different value is refused, and it reads the first one's. A new
 * CA (rotation) is a new ID, chosen deliberately, never a second value under this one.
 */
export const certificateAuthorityVersionId = "corporate-ib-certificate-authority-v1-0000000000";

const isNotFound = (error: unknown): boolean =>
  error instanceof ResourceNotFoundException ||
  (error instanceof Error && error.name === "ResourceNotFoundException");

export const secretsManagerCertificateAuthorityStore = (
  secretArn: string,
  region: string,
): CertificateAuthorityStore => {
  let pending: Promise<StoredCertificateAuthority> | undefined;

  const withClient = async <T>(use: (client: SecretsManagerClient) => Promise<T>): Promise<T> => {
    const client = new SecretsManagerClient({ region });
    try {
      return await use(client);
    } finally {
      client.destroy();
    }
  };

  const read = (client: SecretsManagerClient) =>
    client
      .send(new GetSecretValueCommand({ SecretId: secretArn, VersionId: certificateAuthorityVersionId }))
      .then(({ SecretString }) => parseStoredCertificateAuthority(SecretString ?? ""));

  const load = (create: CreateCertificateAuthority) =>
    withClient(async (client) => {
      try {
        return await read(client);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      const candidate = await create();
      try {
        await client.send(
          new PutSecretValueCommand({
            SecretId: secretArn,
            ClientRequestToken: certificateAuthorityVersionId,
            SecretString: JSON.stringify(candidate),
          }),
        );
        return candidate;
      } catch (error) {
        // Most likely another cold start kept its CA first (ResourceExistsException): that one is the CA.
        // Whatever the error, the version decides; if it is still missing, the original error stands.
        try {
          return await read(client);
        } catch {
          throw error;
        }
      }
    });

  return {
    readOrCreate: (create) => {
      pending ??= load(create).catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
      return pending;
    },
  };
};
