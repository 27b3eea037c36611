// The mail feedback function (not an HTTP route group): SES publishes bounces and complaints of the
// configuration set to an SNS topic, which invokes this; each permanent bounce or complaint suppresses its
// address (shared/services/mail-feedback.ts).
import type { SNSEvent } from "aws-lambda";
import { createTable } from "#shared/adapters/dynamodb/client";
import { dynamoMailRepository } from "#shared/adapters/dynamodb/repositories/mail";
import { type Clock, systemClock } from "#shared/clock";
import { loadConfig } from "#shared/config";
import { recordMailFeedback } from "#shared/services/mail-feedback";
import type { MailRepository } from "#shared/services/ports";

export const createHandler =
  (deps: () => { mail: MailRepository; clock: Clock }) => async (event: SNSEvent) => ({
    suppressed: await recordMailFeedback(
      deps(),
      event.Records.map((record) => record.Sns.Message),
    ),
  });

let lambdaDeps: { mail: MailRepository; clock: Clock } | undefined;

export const handler = createHandler(
  () => (lambdaDeps ??= { mail: dynamoMailRepository(createTable(loadConfig())), clock: systemClock }),
);
