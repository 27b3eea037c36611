// Reads the mail signing certificate and key from Secrets Manager (MAIL_SIGNING_SECRET_ARN), once per cold start.
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { MailSigningMaterial } from "#shared/adapters/crypto/smime";

/** The secret's value is JSON: `{"certificate": "<PEM, then intermediates>", "privateKey": "<PEM>"}`. */
export const readMailSigningSecret = async (
  secretArn: string,
  region: string,
): Promise<MailSigningMaterial> => {
  const client = new SecretsManagerClient({ region });
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    let value: { certificate?: unknown; privateKey?: unknown } = {};
    try {
      value = JSON.parse(SecretString ?? "{}");
    } catch {
      // Reported below without echoing any of the secret.
    }
    if (typeof value.certificate !== "string" || typeof value.privateKey !== "string")
      throw new Error('The mail signing secret must be JSON {"certificate": PEM, "privateKey": PEM}');
    return { certificatePem: value.certificate, privateKeyPem: value.privateKey };
  } finally {
    client.destroy();
  }
};
