// What one active user costs AWS a month, from what the benches measure: Lambda duration at the deployed
// memory size, DynamoDB request units, and API Gateway requests, at list prices written down with their
// date. Not included: free tiers, CloudWatch Logs, X-Ray, KMS, Secrets Manager, data transfer.
import type { ConsumedCapacity } from "@aws-sdk/client-dynamodb";

/**
 * List prices assumed for ap-northeast-1 (Tokyo), in US dollars, as of 2026-12. Taken from AWS's public
 * pricing pages as we remember them, not fetched here (the machines that run the bench have no web
 * access): check them against https://aws.amazon.com/lambda/pricing/,
 * https://aws.amazon.com/dynamodb/pricing/on-demand/ and https://aws.amazon.com/api-gateway/pricing/
 * before quoting a figure.
 */
export const assumedPrices = {
  asOf: "2026-12",
  region: "ap-northeast-1",
  /** Lambda, Arm (Graviton), first tier: per GB-second of duration (billed per 1 ms). */
  lambdaArmPerGbSecond: 0.0000133334,
  /** Lambda: per request. */
  lambdaPerRequest: 0.2 / 1e6,
  /**
   * DynamoDB on-demand, per read request unit: half the earlier 0.2854 per million, after the
   * November 2024 cut of on-demand prices.
   */
  dynamodbPerReadUnit: 0.1427 / 1e6,
  /** DynamoDB on-demand, per write request unit: half the earlier 1.4269 per million. */
  dynamodbPerWriteUnit: 0.7135 / 1e6,
  /** API Gateway REST API, first 333 million requests a month: per request. */
  apiGatewayRestPerRequest: 4.25 / 1e6,
} as const;

/** What one user does in a month (the figure): logons and signed-in requests. */
export const userMonth = { logons: 40, signedInRequests: 200 } as const;

/** The goal for the whole user-month. */
export const costTarget = 0.0015;

/** Request units of some DynamoDB requests, as on-demand bills them. */
export interface RequestUnits {
  read: number;
  write: number;
}

export const noUnits = (): RequestUnits => ({ read: 0, write: 0 });

const readCommands = new Set(["GetItem", "Query", "Scan", "BatchGetItem"]);
const writeCommands = new Set(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"]);

/**
 * The request units one DynamoDB request bills. Single-item and query requests: the units DynamoDB
 * Local reports (`ReturnConsumedCapacity: TOTAL`, by item size). Transactions: counted from the request,
 * because DynamoDB Local reports too few for them — 2 write units per Put, Update or Delete and 2 read
 * units per ConditionCheck (or Get), items assumed under 1 KiB (4 KiB for reads).
 */
export const unitsOf = (
  command: string,
  input: Record<string, unknown>,
  consumed: ConsumedCapacity | ConsumedCapacity[] | undefined,
): RequestUnits => {
  if (command === "TransactWriteItems" || command === "TransactGetItems") {
    const items = (input.TransactItems as Record<string, unknown>[] | undefined) ?? [];
    const units = noUnits();
    for (const item of items) {
      if ("ConditionCheck" in item || "Get" in item) units.read += 2;
      else units.write += 2;
    }
    return units;
  }
  const total = [consumed ?? []].flat().reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
  if (readCommands.has(command)) return { read: total, write: 0 };
  if (writeCommands.has(command)) return { read: 0, write: total };
  return noUnits();
};

export const addUnits = (a: RequestUnits, b: RequestUnits): RequestUnits => ({
  read: a.read + b.read,
  write: a.write + b.write,
});

/** One kind of request as measured: its median handler duration and the request units it bills. */
export interface MeasuredRequest {
  durationMs: number;
  units: RequestUnits;
}

/** Dollars for one request of a kind: API Gateway, the Lambda invocation, and its DynamoDB units. */
export const requestCost = (request: MeasuredRequest, memoryMiB: number, durationScale = 1) => {
  const prices = assumedPrices;
  // Lambda bills duration rounded up to the millisecond.
  const billedSeconds = Math.ceil(request.durationMs * durationScale) / 1000;
  const lambda = prices.lambdaPerRequest + billedSeconds * (memoryMiB / 1024) * prices.lambdaArmPerGbSecond;
  const dynamodb =
    request.units.read * prices.dynamodbPerReadUnit + request.units.write * prices.dynamodbPerWriteUnit;
  return { apiGateway: prices.apiGatewayRestPerRequest, lambda, dynamodb };
};

/** A user-month's cost, split by service. */
export const userMonthCost = (
  logon: MeasuredRequest,
  signedIn: MeasuredRequest,
  memoryMiB: number,
  durationScale = 1,
) => {
  const perLogon = requestCost(logon, memoryMiB, durationScale);
  const perRequest = requestCost(signedIn, memoryMiB, durationScale);
  const month = (key: keyof typeof perLogon) =>
    userMonth.logons * perLogon[key] + userMonth.signedInRequests * perRequest[key];
  const apiGateway = month("apiGateway");
  const lambda = month("lambda");
  const dynamodb = month("dynamodb");
  return { apiGateway, lambda, dynamodb, total: apiGateway + lambda + dynamodb };
};
