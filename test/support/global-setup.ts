// Builds the web console, and starts one DynamoDB Local for the whole test run (or uses DYNAMODB_ENDPOINT); every test file
// creates its own table on it, so files run in parallel without seeing each other's data.
import "#scripts/local/quiet-sdk-notice";
import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "#scripts/local/dynamodb-local";
import { buildWebConsole } from "#scripts/local/web-console";

declare module "vitest" {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  // The console is built once here, as `npm start` builds it, for the files that serve it to a browser.
  await buildWebConsole();
  const existing = process.env.DYNAMODB_ENDPOINT;
  if (existing) {
    project.provide("dynamodbEndpoint", existing);
    return;
  }
  const dynamodb = await startDynamoDbLocal();
  project.provide("dynamodbEndpoint", dynamodb.endpoint);
  return async () => {
    await dynamodb.stop();
  };
}
