// The DynamoDB client the service uses, pointed at AWS or at DynamoDB Local by configuration: DynamoDB's
// JSON protocol over the signed HTTP transport (signed-http.ts: Node's HTTP client, aws4's Signature
// Version 4). It does what the service used of the SDK's document client — the commands in
// commands.ts, bounded retries of throttles and lost connections, the SDK's error names — for a fraction
// of its CPU per request and bundle size (docs/decisions/020-dynamodb-client.md).
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import {
  type Answered,
  AwsError,
  destination,
  SignedHttp,
  type SignedHttpOptions,
  standardRetries,
} from "#shared/adapters/aws/signed-http";
import type { Config } from "#shared/config";
import type { Command, Wire } from "./commands.ts";

/** An error DynamoDB answered (its name is DynamoDB's, as the SDK named it). */
export class DynamoDbError extends AwsError {}

/** A condition of a single-item write failed; `Item` is the item in wire form when the request asked for it. */
export class ConditionalCheckFailedException extends DynamoDbError {
  readonly Item: Record<string, AttributeValue> | undefined;
  constructor(
    message = "The conditional request failed",
    item?: Record<string, AttributeValue>,
    requestId?: string,
  ) {
    super("ConditionalCheckFailedException", message, { statusCode: 400, requestId });
    this.Item = item;
  }
}

/** One item's reason in a cancelled transaction, in DynamoDB's order; `Item` in wire form. */
export interface CancellationReason {
  Code?: string | undefined;
  Message?: string | undefined;
  Item?: Record<string, AttributeValue> | undefined;
}

/** A transaction DynamoDB cancelled: nothing of it was written. */
export class TransactionCanceledException extends DynamoDbError {
  readonly CancellationReasons: CancellationReason[] | undefined;
  constructor(message: string, reasons?: CancellationReason[], requestId?: string) {
    super("TransactionCanceledException", message, { statusCode: 400, requestId });
    this.CancellationReasons = reasons;
  }
}

/** Whether `error` is DynamoDB's error of that name (ResourceNotFoundException, ValidationException…). */
export const isDynamoDbError = (error: unknown, name: string): error is AwsError =>
  error instanceof AwsError && error.name === name;

// DynamoDB's throttles, tried again after a longer pause than a 5xx or a lost connection.
const retryPause = standardRetries(
  new Set([
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "ThrottlingException",
    "Throttling",
    "LimitExceededException",
    "TransactionInProgressException",
    "TooManyRequestsException",
  ]),
);

/** The transport's options but the service and its retry rule; three tries unless told (as the SDK's client). */
export type DynamoDbOptions = Omit<SignedHttpOptions, "service" | "retryPause" | "maxAttempts"> & {
  readonly maxAttempts?: number;
};

const errorOf = (answered: Answered, operation: string): DynamoDbError => {
  let body: Wire = {};
  try {
    body = JSON.parse(answered.body) as Wire;
  } catch {
    // Not JSON (a proxy's or load balancer's page): the status says enough.
  }
  const type = String(body.__type ?? "");
  const name = type.slice(type.lastIndexOf("#") + 1) || `Http${answered.status}`;
  const message = String(body.message ?? body.Message ?? `DynamoDB ${operation} answered ${answered.status}`);
  if (name === "ConditionalCheckFailedException")
    return new ConditionalCheckFailedException(
      message,
      body.Item as Record<string, AttributeValue> | undefined,
      answered.requestId,
    );
  if (name === "TransactionCanceledException")
    return new TransactionCanceledException(
      message,
      body.CancellationReasons as CancellationReason[] | undefined,
      answered.requestId,
    );
  return new DynamoDbError(name, message, { statusCode: answered.status, requestId: answered.requestId });
};

export class DynamoDb {
  private readonly http: SignedHttp;

  constructor(options: DynamoDbOptions) {
    this.http = new SignedHttp({
      ...options,
      maxAttempts: options.maxAttempts ?? 3,
      service: "dynamodb",
      retryPause,
    });
  }

  /**
   * Sends one command, retried when DynamoDB throttled it, failed inside or the connection was lost.
   * Every failure rejects, one of marshalling (a value DynamoDB cannot hold) too, as the SDK's did.
   */
  async send<C extends Command<object, unknown>>(command: C): Promise<NonNullable<C["answer"]>> {
    const body = JSON.stringify(command.request());
    const headers = {
      "Content-Type": "application/x-amz-json-1.0",
      "X-Amz-Target": `DynamoDB_20120810.${command.operation}`,
    };
    return this.http.send(headers, body, `DynamoDB ${command.operation}`, (answered) => {
      if (answered.status !== 200) throw errorOf(answered, command.operation);
      return command.response(answered.body ? (JSON.parse(answered.body) as Wire) : {}) as NonNullable<
        C["answer"]
      >;
    });
  }

  /** Closes the kept-alive connections (a script or test that is done with the table). */
  destroy(): void {
    this.http.destroy();
  }
}

export interface Table {
  readonly db: DynamoDb;
  readonly name: string;
}

/** The region's endpoint; AWS's China regions have their own domain. */
const regionalEndpoint = (region: string): string =>
  `https://dynamodb.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}`;

export const createTable = (
  config: Pick<Config, "tableName" | "dynamodbEndpoint" | "region">,
  env: NodeJS.ProcessEnv = process.env,
): Table => {
  const db = new DynamoDb({
    region: config.region,
    // Errors are answered fast and retried by the caller's logic where it is safe; throttles are retried here.
    maxAttempts: 3,
    // DynamoDB Local when configured; otherwise AWS, or the endpoint the SDK's variable names.
    ...destination(
      config.dynamodbEndpoint,
      env.AWS_ENDPOINT_URL_DYNAMODB || regionalEndpoint(config.region),
      env,
    ),
  });
  return { db, name: config.tableName };
};
