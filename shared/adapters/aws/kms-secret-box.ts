// The secret box on AWS: envelopes under a KMS data key of the service's key, through a client for the
// function's region. Loaded with the first sealed or opened value, never at a cold start.
import { KMSClient } from "@aws-sdk/client-kms";
import { kmsSecretBox, type SecretBox } from "#shared/adapters/crypto/secret-box";

export const awsSecretBox = (region: string, keyId: string): SecretBox =>
  kmsSecretBox({ kms: new KMSClient({ region }), keyId });
