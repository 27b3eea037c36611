// The ports the outbox sender receives: the mail repository, the clock, the settings, the mail endpoint, the
// metrics and the optional S/MIME signer. The sender function builds them from the environment; tests
// and npm start build their own.
import { readFileSync } from "node:fs";
import type { MailSigner, MailSigningMaterial } from "#shared/adapters/crypto/smime";
import { createTable, type Table } from "#shared/adapters/dynamodb/client";
import { dynamoMailRepository } from "#shared/adapters/dynamodb/repositories/mail";
import { createSesMailer, type Mailer } from "#shared/adapters/ses/mailer";
import { type Clock, systemClock } from "#shared/clock";
import { type Config, loadConfig } from "#shared/config";
import { type BusinessMetrics, emfMetrics } from "#shared/observability";
import type { MailRepository } from "./ports.ts";

export interface SenderDeps {
  readonly config: Config;
  /** The outbox and the suppressed addresses. */
  readonly mail: MailRepository;
  readonly clock: Clock;
  readonly mailer: Mailer;
  /** Where mails sent and failed are counted (EMF on AWS). */
  readonly metrics: BusinessMetrics;
  /** Loaded and checked once, on first use; undefined when mail goes unsigned. */
  signer(): Promise<MailSigner | undefined>;
}

/** A setting given as PEM text, or as the path of a PEM file. */
const pemOrFile = (value: string): string =>
  value.includes("-----BEGIN") ? value : readFileSync(value, "utf8");

const loadMaterial = async (config: Config): Promise<MailSigningMaterial | undefined> => {
  const setting = config.mailSigning;
  if (!setting) return undefined;
  if (setting.source === "secret") {
    const { readMailSigningSecret } = await import("#shared/adapters/aws/mail-signing-secret");
    return readMailSigningSecret(setting.secretArn, config.region);
  }
  return { certificatePem: pemOrFile(setting.certificate), privateKeyPem: pemOrFile(setting.privateKey) };
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

export const createSenderDeps = (
  config: Config = loadConfig(),
  clock: Clock = systemClock,
  parts: { table?: Table; mailer?: Mailer; metrics?: BusinessMetrics } = {},
): SenderDeps => ({
  config,
  mail: dynamoMailRepository(parts.table ?? createTable(config)),
  clock,
  mailer: parts.mailer ?? createSesMailer(config),
  metrics: parts.metrics ?? emfMetrics,
  signer: memoise(async () => {
    const material = await loadMaterial(config);
    if (!material) return undefined;
    // node-forge (S/MIME) loads only where mail is signed.
    const { createMailSigner } = await import("#shared/adapters/crypto/smime");
    return createMailSigner(material, clock.now());
  }),
});
