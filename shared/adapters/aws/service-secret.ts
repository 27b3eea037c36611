// Reads the service master secret from Secrets Manager once per cold start.
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

export const readServiceSecret = async (secretArn: string, region: string): Promise<Buffer> => {
  const client = new SecretsManagerClient({ region });
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (!SecretString || SecretString.length < 32)
      throw new Error("The service secret is missing or too short");
    return Buffer.from(SecretString, "utf8");
  } finally {
    client.destroy();
  }
};
