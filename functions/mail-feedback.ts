// The mail feedback function (not an HTTP route group): SES publishes bounces and complaints of the
// configuration set to an SNS topic, which invokes this; each permanent bounce or complaint suppresses its
// address (shared/services/mail-feedback.ts).
import type { SNSEvent } from "aws-lambda";
import { createTable, type Table } from "#shared/adapters/dynamodb/client";
import { type Clock, systemClock } from "#shared/clock";
import { loadConfig } from "#shared/config";
import { recordMailFeedback } from "#shared/services/mail-feedback";

export const createHandler = (deps: () => { table: Table; clock: Clock }) => async (event: SNSEvent) => ({
  suppressed: await recordMailFeedback(
    deps(),
    event.Records.map((record) => record.Sns.Message),
  ),
});

let lambdaDeps: { table: Table; clock: Clock } | undefined;

export const handler = createHandler(
  () => (lambdaDeps ??= { table: createTable(loadConfig()), clock: systemClock }),
);
