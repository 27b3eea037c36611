// The public REST API: one stage with JSON access logs, tracing and throttling, problem+json refusals,
// and exactly the routes of the route table, each integrated with its group's function.
import { RemovalPolicy } from "aws-cdk-lib";
import * as apigateway from "aws-cdk-lib/aws-apigateway";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { type AuthKind, fileMediaTypes, type RouteSpec } from "#shared/http/routes";
import { acknowledgeNag } from "./nag.ts";
import { addProblemResponses } from "./problem-responses.ts";

export interface Throttle {
  /** Steady requests per second. */
  readonly rate: number;
  /** Requests allowed at once above the steady rate. */
  readonly burst: number;
}

export interface ServiceApiProps {
  readonly routes: readonly RouteSpec[];
  /** The function serving each route group. */
  readonly handlers: Readonly<Record<string, lambda.IFunction>>;
  readonly stageName: string;
  /** Applies to every method of the stage unless a narrower limit below applies. */
  readonly stageThrottle: Throttle;
  /** Routes anyone may call (logon, provisioning, emergency stop) are where guessing and floods come from. */
  readonly publicRouteThrottle: Throttle;
  readonly logRetention: logs.RetentionDays;
  /** The one principal that may call the ops routes (bank operations, assumed with MFA). */
  readonly operationsRole: iam.IRole;
}

/** The ops routes in the form API Gateway's resource policies name them: any stage, any method. */
export const opsRoutesResource = "execute-api:/*/*/v1/ops/*";

/**
 * Anyone may reach the API (sessions and public routes are checked in the functions), but the ops routes
 * only the operations role: IAM authorisation alone would admit every principal of the account that may
 * invoke APIs, and a Deny here outweighs any identity policy that allows more.
 */
const resourcePolicy = (operationsRole: iam.IRole): iam.PolicyDocument =>
  new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        effect: iam.Effect.ALLOW,
        principals: [new iam.AnyPrincipal()],
        actions: ["execute-api:Invoke"],
        resources: ["execute-api:/*"],
      }),
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ["execute-api:Invoke"],
        resources: [opsRoutesResource],
        conditions: { StringNotEquals: { "aws:PrincipalArn": operationsRole.roleArn } },
      }),
    ],
  });

/** API Gateway's authorisation per kind: only ops is checked at the gateway (SigV4); sessions in the function. */
const authorizationTypes: Record<AuthKind, apigateway.AuthorizationType> = {
  public: apigateway.AuthorizationType.NONE,
  session: apigateway.AuthorizationType.NONE,
  ops: apigateway.AuthorizationType.IAM,
};

/** Why a method is open at the gateway, recorded against cdk-nag's APIG4 (no authoriser) and COG4 (no Cognito). */
const openMethodReasons: Record<AuthKind, string> = {
  public:
    "Public by design (route table auth 'public'): the caller has no identity yet, e.g. health or logon.",
  session:
    "The session token (Authorization: Bearer) is checked in the function against the server-side session, " +
    "the same code the local server runs; the service's sessions are not Cognito's.",
  ops: "Bank operations are authorised by IAM (SigV4) at the gateway, for the operations role only (resource policy); Cognito has no role for the bank's staff.",
};

/**
 * The access log: who called what and how it ended, by ID. It names no header value, query string or
 * body, so no token, code or PIN can reach it.
 */
const accessLogFormat = apigateway.AccessLogFormat.custom(
  JSON.stringify({
    requestId: apigateway.AccessLogField.contextRequestId(),
    requestTimeEpoch: apigateway.AccessLogField.contextRequestTimeEpoch(),
    httpMethod: apigateway.AccessLogField.contextHttpMethod(),
    resourcePath: apigateway.AccessLogField.contextResourcePath(),
    status: apigateway.AccessLogField.contextStatus(),
    protocol: apigateway.AccessLogField.contextProtocol(),
    responseLength: apigateway.AccessLogField.contextResponseLength(),
    responseLatency: apigateway.AccessLogField.contextResponseLatency(),
    integrationStatus: apigateway.AccessLogField.contextIntegrationStatus(),
    integrationLatency: apigateway.AccessLogField.contextIntegrationLatency(),
    integrationError: apigateway.AccessLogField.contextIntegrationErrorMessage(),
    errorResponseType: apigateway.AccessLogField.contextErrorResponseType(),
    errorMessage: apigateway.AccessLogField.contextErrorMessage(),
    sourceIp: apigateway.AccessLogField.contextIdentitySourceIp(),
    callerArn: apigateway.AccessLogField.contextIdentityUserArn(),
    xrayTraceId: apigateway.AccessLogField.contextXrayTraceId(),
  }),
);

/** `/v1/users/{userId}` → `{ "method.request.path.userId": true }`. */
const pathParameters = (path: string): Record<string, boolean> =>
  Object.fromEntries(
    [...path.matchAll(/\{([^}]+)\}/g)].map((match) => [`method.request.path.${match[1]}`, true]),
  );

export class ServiceApi extends Construct {
  readonly restApi: apigateway.RestApi;
  readonly accessLogs: logs.LogGroup;
  /** Each route's method, by `METHOD /path`. */
  readonly methods: ReadonlyMap<string, apigateway.Method>;

  constructor(scope: Construct, id: string, props: ServiceApiProps) {
    super(scope, id);

    this.accessLogs = new logs.LogGroup(this, "AccessLogs", {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const publicMethodOptions = Object.fromEntries(
      props.routes
        .filter((route) => route.auth === "public")
        .map((route) => [
          `${route.path}/${route.method}`,
          {
            throttlingRateLimit: props.publicRouteThrottle.rate,
            throttlingBurstLimit: props.publicRouteThrottle.burst,
          },
        ]),
    );

    this.restApi = new apigateway.RestApi(this, "RestApi", {
      restApiName: "corporate-ib",
      description: "corporate-ib: corporate internet banking API",
      // Regional: mutual TLS with client certificates (design §7) needs a regional custom domain.
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      // The account-wide API Gateway logging role is the landing zone's, not this stack's (see APIG6 below).
      cloudWatchRole: false,
      failOnWarnings: true,
      // Zengin files and CSV reach the functions as their bytes (base64 in the event), not re-encoded text.
      binaryMediaTypes: [...fileMediaTypes],
      policy: resourcePolicy(props.operationsRole),
      deployOptions: {
        stageName: props.stageName,
        tracingEnabled: true,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogs),
        accessLogFormat,
        throttlingRateLimit: props.stageThrottle.rate,
        throttlingBurstLimit: props.stageThrottle.burst,
        methodOptions: publicMethodOptions,
        // Execution logs would write request and response bodies (PINs) when data tracing is on: never.
        dataTraceEnabled: false,
      },
    });
    addProblemResponses(this.restApi);

    // Bodies are checked by each route's schema in the function; API Gateway checks what it can see
    // without a second copy of those schemas: that the path parameters are there.
    const parametersValidator = this.restApi.addRequestValidator("ParametersValidator", {
      validateRequestParameters: true,
      validateRequestBody: false,
    });

    const integrations = new Map<string, apigateway.LambdaIntegration>();
    const integrationFor = (group: string): apigateway.LambdaIntegration => {
      const handler = props.handlers[group];
      if (!handler) throw new Error(`No function for route group "${group}"`);
      let integration = integrations.get(group);
      if (!integration) {
        // No test-invoke permission: only the deployed stage may invoke the function.
        integration = new apigateway.LambdaIntegration(handler, { proxy: true, allowTestInvoke: false });
        integrations.set(group, integration);
      }
      return integration;
    };

    const methods = new Map<string, apigateway.Method>();
    for (const route of props.routes) {
      const parameters = pathParameters(route.path);
      const method = this.restApi.root
        .resourceForPath(route.path)
        .addMethod(route.method, integrationFor(route.group), {
          authorizationType: authorizationTypes[route.auth],
          ...(Object.keys(parameters).length > 0
            ? { requestParameters: parameters, requestValidator: parametersValidator }
            : {}),
        });
      if (route.auth !== "ops") acknowledgeNag(method, "AwsSolutions-APIG4", openMethodReasons[route.auth]);
      acknowledgeNag(method, "AwsSolutions-COG4", openMethodReasons[route.auth]);
      methods.set(`${route.method} ${route.path}`, method);
    }
    this.methods = methods;

    acknowledgeNag(
      this.restApi,
      "AwsSolutions-APIG2",
      "Request bodies are validated in the function by each route's schema, the same code the local server " +
        "runs, so AWS and local refuse the same bodies with the same problem+json; API Gateway validates path " +
        "parameters (ParametersValidator).",
    );
    acknowledgeNag(
      this.restApi.deploymentStage,
      "AwsSolutions-APIG6",
      "Execution logging needs the account-wide API Gateway CloudWatch role, which belongs to the account's " +
        "baseline, not to this service; every request is in the JSON access log and every function logs its own.",
    );
  }
}
