// Keeps the service's issuing CAs in their Secrets Manager secret: revision N of the CA set (the active CA and,
// during a rollover, the previous one) lives in one fixed version of the secret, and Secrets Manager refuses a
// second, different value under a version ID that exists — the conditional write that makes one rollover
// make one CA (docs/decisions/005-client-certificate-ca.md).
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import {
  CertificateAuthorityConflict,
  type CertificateAuthoritySet,
  type CertificateAuthorityStore,
  parseCertificateAuthoritySet,
  readOrCreateWith,
  serializeCertificateAuthoritySet,
} from "#shared/adapters/crypto/certificate-authority-store";

/**
 * The version that holds revision N of the CA set (Secrets Manager takes 32–64 characters). Revision 1 is the
 * version the first CA was always written to, so a deployment from before rollovers keeps its CA.
 */
export const certificateAuthorityVersionId = (revision: number): string =>
  `corporate-ib-certificate-authority-v${revision}-0000000000`;

const revisionOfVersion = (versionId: string | undefined): number | undefined => {
  const found = /^corporate-ib-certificate-authority-v([1-9]\d{0,5})-0000000000$/.exec(versionId ?? "");
  return found ? Number(found[1]) : undefined;
};

const isNotFound = (error: unknown): boolean =>
  error instanceof ResourceNotFoundException ||
  (error instanceof Error && error.name === "ResourceNotFoundException");

const isVersionTaken = (error: unknown): boolean =>
  error instanceof Error && error.name === "ResourceExistsException";

export const secretsManagerCertificateAuthorityStore = (
  secretArn: string,
  region: string,
): CertificateAuthorityStore => {
  const withClient = async <T>(use: (client: SecretsManagerClient) => Promise<T>): Promise<T> => {
    const client = new SecretsManagerClient({ region });
    try {
      return await use(client);
    } finally {
      client.destroy();
    }
  };

  const readRevision = async (client: SecretsManagerClient, revision: number) => {
    try {
      const { SecretString } = await client.send(
        new GetSecretValueCommand({
          SecretId: secretArn,
          VersionId: certificateAuthorityVersionId(revision),
        }),
      );
      return parseCertificateAuthoritySet(SecretString ?? "", revision);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };

  const store = {
    /**
     * AWSCURRENT names the latest revision (every write moves it); the revisions after it are asked for too,
     * so a label that has not caught up yet cannot hide a newer set. The secret's generated placeholder is
     * AWSCURRENT until the first CA is written: then revision 1 is asked for by its ID.
     */
    read: () =>
      withClient(async (client) => {
        const { VersionId } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
        let current: CertificateAuthoritySet | undefined;
        for (let revision = revisionOfVersion(VersionId) ?? 1; ; revision += 1) {
          const found = await readRevision(client, revision);
          if (!found) return current;
          current = found;
        }
      }),
    write: (next: CertificateAuthoritySet) =>
      withClient(async (client) => {
        try {
          // No VersionStages: Secrets Manager moves AWSCURRENT to this version, the previous one keeps AWSPREVIOUS.
          await client.send(
            new PutSecretValueCommand({
              SecretId: secretArn,
              ClientRequestToken: certificateAuthorityVersionId(next.revision),
              SecretString: serializeCertificateAuthoritySet(next),
            }),
          );
        } catch (error) {
          if (isVersionTaken(error))
            throw new CertificateAuthorityConflict(`Revision ${next.revision} of the CA set exists already`, {
              cause: error,
            });
          throw error;
        }
      }),
  };
  return { ...store, readOrCreate: readOrCreateWith(store) };
};
