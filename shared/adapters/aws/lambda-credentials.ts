// The AWS credential provider bundled into Lambda functions in place of `@aws-sdk/credential-provider-node`.
//
// Lambda hands every function its role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN, so the SDK's default chain always stops at its first link (the environment). The
// other links (SSO, ini files, process, web identity, container and instance metadata) are never used
// there but cost about 130 KB of minified bundle and their load time on every cold start. The bundler
// aliases the node provider to this module (infra/constructs/bundling.ts); tests, scripts and the local
// server are not bundled and keep the full chain.
import { fromEnv } from "@aws-sdk/credential-provider-env";

type ProviderInit = Parameters<typeof fromEnv>[0];

/**
 * Same name and call shape as `@aws-sdk/credential-provider-node`'s `defaultProvider`, which every
 * client's runtimeConfig imports as `credentialDefaultProvider` and calls with its own config.
 */
export const defaultProvider = (init: ProviderInit = {}): ReturnType<typeof fromEnv> => fromEnv(init);
