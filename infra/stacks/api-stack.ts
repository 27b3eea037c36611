// The stateless stack: the API and one function per route group, generated from the route table, each with
// exactly the table access its group declares and the service secret. It can be destroyed and redeployed
// without losing data.
import { fileURLToPath } from "node:url";
import { CfnOutput, Fn, Stack, type StackProps } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import * as wafv2 from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";
import { keys } from "#shared/adapters/dynamodb/keys";
import {
  deployedRoutes,
  type FunctionGroupSpec,
  functionGroups,
  type RouteGroup,
  routeGroups,
  routes,
  type SealedSecretsUse,
  type TableAccess,
} from "#shared/http/routes";
import { batchFilesPrefix } from "../constructs/batch-files.ts";
import { MutualTlsDomain } from "../constructs/mutual-tls-domain.ts";
import { acknowledgeNag } from "../constructs/nag.ts";
import { OperationsRole } from "../constructs/operations-role.ts";
import { OriginVerifySecret, originVerifyHeader } from "../constructs/origin-verify-secret.ts";
import { ServiceApi } from "../constructs/service-api.ts";
import { ServiceFunction } from "../constructs/service-function.ts";
import {
  importServiceTable,
  type TableExports,
  tableKeyActions,
  tableKeyStatement,
} from "../constructs/service-table.ts";
import { ServiceWebAcl } from "../constructs/service-web-acl.ts";
import { TransferScheduler } from "../constructs/transfer-scheduler.ts";
import type { ServiceSettings } from "../settings.ts";
import type { DataExports } from "./data-stack.ts";

export interface ApiStackProps extends StackProps {
  /** The table, its key and the service secret, as the data stack exports them. */
  readonly dataExports: DataExports;
  readonly settings: ServiceSettings;
}

/** DynamoDB actions only: the table is imported without its key, whose use is granted through DynamoDB alone. */
const grantTableAccess: Record<TableAccess, (table: dynamodb.ITable, grantee: iam.IGrantable) => void> = {
  read: (table, grantee) => table.grantReadData(grantee),
  // Reads, and the one write a signed-in request makes: its own session's idle timeout (or its end).
  "read-sessions": (table, grantee) => {
    table.grantReadData(grantee);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["dynamodb:UpdateItem"],
        resources: [table.tableArn],
        conditions: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${keys.session("").pk}*`] } },
      }),
    );
  },
  "read-write": (table, grantee) => table.grantReadWriteData(grantee),
};

/** The wildcards the table grants contain, each acknowledged with why it is as narrow as it can be. */
const acknowledgeTableGrant = (fn: ServiceFunction, access: TableAccess, exports: TableExports): void => {
  if (!fn.role) return;
  acknowledgeNag(
    fn.role,
    `AwsSolutions-IAM5[Resource::${exports.tableArn}/index/*]`,
    "Queries by the table's own global secondary indexes (table-schema.ts): the grant covers this one " +
      "table's indexes, no other table.",
  );
  if (access !== "read") {
    acknowledgeNag(
      fn.role,
      "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]",
      "DynamoDB needs data keys from the table's key to write; granted on that one key, through DynamoDB only.",
    );
    acknowledgeNag(
      fn.role,
      "AwsSolutions-IAM5[Action::kms:ReEncrypt*]",
      "Part of DynamoDB's write grant on the table's customer-managed key; on that one key, through DynamoDB only.",
    );
  }
};

/**
 * Sealing takes a data key, opening decrypts one; each only for the purposes the group declares, and only
 * with the encryption context secret-box.ts binds (contract and principal), so no other use of the key passes.
 */
const sealedSecretsStatements = (keyArn: string, use: SealedSecretsUse): iam.PolicyStatement[] => {
  const statement = (action: string, purposes: readonly string[]) =>
    new iam.PolicyStatement({
      actions: [action],
      resources: [keyArn],
      conditions: {
        StringEquals: { "kms:EncryptionContext:purpose": [...purposes] },
        Null: { "kms:EncryptionContext:contractId": "false", "kms:EncryptionContext:principal": "false" },
      },
    });
  return [
    ...(use.seal ? [statement("kms:GenerateDataKey", use.seal)] : []),
    ...(use.open ? [statement("kms:Decrypt", use.open)] : []),
  ];
};

/**
 * Batch files: get, put and delete under the batches' prefix of the one bucket, and the table key through
 * S3 only (the bucket is encrypted with it). No listing, no other bucket.
 */
const batchFilesStatements = (bucketArn: string, keyArn: string, region: string): iam.PolicyStatement[] => [
  new iam.PolicyStatement({
    actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
    resources: [`${bucketArn}/${batchFilesPrefix}*`],
  }),
  new iam.PolicyStatement({
    actions: ["kms:Decrypt", "kms:GenerateDataKey"],
    resources: [keyArn],
    conditions: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
  }),
];

const acknowledgeBatchFiles = (fn: ServiceFunction, exports: DataExports): void => {
  if (!fn.role) return;
  acknowledgeNag(
    fn.role,
    `AwsSolutions-IAM5[Resource::${exports.batchBucketArn}/${batchFilesPrefix}*]`,
    "Each batch's files are objects of their own under the batches' prefix of the one batch-files bucket: " +
      "the grant covers that prefix of that bucket, get, put and delete only.",
  );
};

/** The paths of the routes anyone may call, each once: the web ACLs limit them tighter. */
export const publicRoutePaths = (): string[] => [
  ...new Set(routes.filter((route) => route.auth === "public").map((route) => route.path)),
];

const entryOf = (group: RouteGroup): string =>
  fileURLToPath(new URL(`../../functions/${group}.ts`, import.meta.url));

export class ApiStack extends Stack {
  /** Each route group's function. */
  readonly functions: Readonly<Record<RouteGroup, ServiceFunction>>;
  readonly api: ServiceApi;
  /** The scheduled function that executes transfers on their designated date. */
  readonly scheduler: TransferScheduler;
  /** The secret the console's distribution proves itself with (X-Origin-Verify). */
  readonly originVerify: OriginVerifySecret;
  /** The only principal the resource policy lets call the ops routes. */
  readonly operations: OperationsRole;
  /** The regional web ACL on the stage. */
  readonly webAcl: ServiceWebAcl;
  /** The mutual-TLS custom domain, when context names one (apiDomainName, apiCertificateArn). */
  readonly mutualTlsDomain: MutualTlsDomain | undefined;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { settings, dataExports } = props;
    const table = importServiceTable(this, "ServiceTable", dataExports);
    const tableKeyArn = Fn.importValue(dataExports.keyArn);
    const sealedSecretsKeyArn = Fn.importValue(dataExports.sealedSecretsKeyArn);
    // The full ARN (with Secrets Manager's suffix), so the grant names exactly this secret.
    const serviceSecretArn = Fn.importValue(dataExports.serviceSecretArn);
    const certificateAuthoritySecretArn = Fn.importValue(dataExports.certificateAuthoritySecretArn);
    const viaDynamoDb = `dynamodb.${this.region}.amazonaws.com`;
    const batchBucketName = Fn.importValue(dataExports.batchBucketName);
    const batchBucketArn = Fn.importValue(dataExports.batchBucketArn);
    const viaSecretsManager = `secretsmanager.${this.region}.amazonaws.com`;
    this.originVerify = new OriginVerifySecret(this, "OriginVerify");

    const environment = {
      TABLE_NAME: table.tableName,
      POWERTOOLS_SERVICE_NAME: "corporate-ib",
      // The business events' CloudWatch namespace (shared/observability.ts).
      POWERTOOLS_METRICS_NAMESPACE: "corporate-ib",
      POWERTOOLS_LOG_LEVEL: settings.logLevel,
      SESSION_IDLE_SECONDS: String(settings.sessionIdleSeconds),
      SESSION_MAX_SECONDS: String(settings.sessionMaxSeconds),
      // Every function derives the caller's address the same way (shared/http/viewer-address.ts).
      ORIGIN_VERIFY_SECRET_ARN: this.originVerify.secret.secretArn,
    };

    const functions = {} as Record<RouteGroup, ServiceFunction>;
    for (const group of routeGroups) {
      const spec: FunctionGroupSpec = functionGroups[group];
      const { description, tableAccess } = spec;
      const fn = new ServiceFunction(new Construct(this, group), "Function", {
        entry: entryOf(group),
        description: `corporate-ib ${group}: ${description}`,
        environment: {
          ...environment,
          ...(spec.masterSecret ? { SERVICE_SECRET_ARN: serviceSecretArn } : {}),
          // Token secrets and card cells are sealed under data keys of their own key, not the table's.
          ...(spec.sealedSecrets ? { SECRET_BOX_KMS_KEY_ID: sealedSecretsKeyArn } : {}),
          ...(spec.certificateAuthority
            ? { CERTIFICATE_AUTHORITY_SECRET_ARN: certificateAuthoritySecretArn }
            : {}),
          ...(spec.batchFiles ? { BATCH_BUCKET_NAME: batchBucketName } : {}),
          // Passkeys are bound to the console's domain (decision 016); without one there are none.
          ...(spec.relyingParty && settings.webDomain
            ? {
                WEBAUTHN_RP_ID: settings.webDomain.domainName,
                WEBAUTHN_ORIGINS: `https://${settings.webDomain.domainName}`,
              }
            : {}),
        },
        logRetention: settings.logRetention,
        // Logon is where floods come from: its own share of concurrency, which is also its ceiling.
        ...(group === "sessions"
          ? { reservedConcurrentExecutions: settings.sessionsReservedConcurrency }
          : {}),
      });
      grantTableAccess[tableAccess](table, fn);
      // The CA's secret is encrypted with the table's key too: the certificates function reaches it through
      // Secrets Manager.
      fn.addToRolePolicy(
        tableKeyStatement(
          tableKeyArn,
          tableAccess === "read" ? tableKeyActions.read : tableKeyActions.write,
          spec.certificateAuthority ? [viaDynamoDb, viaSecretsManager] : [viaDynamoDb],
        ),
      );
      acknowledgeTableGrant(fn, tableAccess, dataExports);
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ["secretsmanager:GetSecretValue"],
          resources: [this.originVerify.secret.secretArn],
        }),
      );
      if (spec.masterSecret) {
        // Read only, and only the value: no DescribeSecret, no other secret.
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ["secretsmanager:GetSecretValue"],
            resources: [serviceSecretArn],
          }),
        );
      }
      if (spec.sealedSecrets) {
        for (const statement of sealedSecretsStatements(sealedSecretsKeyArn, spec.sealedSecrets)) {
          fn.addToRolePolicy(statement);
        }
      }
      if (spec.certificateAuthority) {
        // The CA's key: read, and written once if this function comes first (decision 005).
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"],
            resources: [certificateAuthoritySecretArn],
          }),
        );
      }
      if (spec.batchFiles) {
        for (const statement of batchFilesStatements(batchBucketArn, tableKeyArn, this.region))
          fn.addToRolePolicy(statement);
        acknowledgeBatchFiles(fn, dataExports);
      }
      functions[group] = fn;
    }
    this.functions = functions;

    // The scheduled function (not an API route): what is due on its date, on an EventBridge rule.
    this.scheduler = new TransferScheduler(this, "Scheduler", {
      environment: {
        TABLE_NAME: table.tableName,
        POWERTOOLS_SERVICE_NAME: "corporate-ib",
        POWERTOOLS_METRICS_NAMESPACE: "corporate-ib",
        POWERTOOLS_LOG_LEVEL: settings.logLevel,
        // A batch's clearing file is written when it executes.
        BATCH_BUCKET_NAME: batchBucketName,
      },
      logRetention: settings.logRetention,
    });
    grantTableAccess["read-write"](table, this.scheduler.function);
    for (const statement of batchFilesStatements(batchBucketArn, tableKeyArn, this.region))
      this.scheduler.function.addToRolePolicy(statement);
    acknowledgeBatchFiles(this.scheduler.function, dataExports);
    this.scheduler.function.addToRolePolicy(
      tableKeyStatement(tableKeyArn, tableKeyActions.write, [viaDynamoDb]),
    );
    acknowledgeTableGrant(this.scheduler.function, "read-write", dataExports);

    this.operations = new OperationsRole(this, "Operations");
    this.api = new ServiceApi(this, "Api", {
      operationsRole: this.operations.role,
      routes: deployedRoutes,
      handlers: functions,
      stageName: settings.stageName,
      stageThrottle: settings.stageThrottle,
      publicRouteThrottle: settings.publicRouteThrottle,
      logRetention: settings.logRetention,
    });

    this.operations.allowOpsRoutes(this.api.restApi);

    this.webAcl = new ServiceWebAcl(this, "WebAcl", {
      scope: "REGIONAL",
      name: "corporate-ib-api",
      description: "corporate-ib: the API stage",
      publicPaths: publicRoutePaths(),
      rateLimits: settings.webAclRateLimits,
      // The console's requests are counted per viewer by the distribution's ACL; here they would all count
      // against a few CloudFront addresses. Only a request with the distribution's secret is left out.
      rateExempt: {
        byteMatchStatement: {
          fieldToMatch: { singleHeader: { Name: originVerifyHeader.toLowerCase() } },
          positionalConstraint: "EXACTLY",
          searchString: this.originVerify.secret.secretValue.unsafeUnwrap(),
          textTransformations: [{ priority: 0, type: "NONE" }],
        },
      },
      logRetention: settings.logRetention,
    });
    new wafv2.CfnWebACLAssociation(this, "WebAclAssociation", {
      resourceArn: this.api.restApi.deploymentStage.stageArn,
      webAclArn: this.webAcl.webAcl.attrArn,
    });

    this.mutualTlsDomain = settings.apiDomain
      ? new MutualTlsDomain(this, "MutualTlsDomain", {
          domain: settings.apiDomain,
          restApi: this.api.restApi,
          certificateAuthoritySecretArn,
          certificateAuthorityKeyArn: tableKeyArn,
          logRetention: settings.logRetention,
        })
      : undefined;

    new CfnOutput(this, "OperationsRoleArn", {
      value: this.operations.role.roleArn,
      description: "Bank operations assume this role with MFA to call /v1/ops (npm run ops -- … --iam)",
    });
    new CfnOutput(this, "ApiUrl", { value: this.api.restApi.url, description: "Base URL of the API stage" });
  }
}
