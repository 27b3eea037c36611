// The stateless stack: the API and one function per route group, generated from the route table, each with
// exactly the table access its group declares and the service secret. It can be destroyed and redeployed
// without losing data.
import { fileURLToPath } from "node:url";
import { CfnOutput, Fn, Stack, type StackProps } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import {
  type FunctionGroupSpec,
  functionGroups,
  type RouteGroup,
  routeGroups,
  routes,
  type TableAccess,
} from "#shared/http/routes";
import { MutualTlsDomain } from "../constructs/mutual-tls-domain.ts";
import { acknowledgeNag } from "../constructs/nag.ts";
import { ServiceApi } from "../constructs/service-api.ts";
import { ServiceFunction } from "../constructs/service-function.ts";
import { importServiceTable, type TableExports } from "../constructs/service-table.ts";
import type { ServiceSettings } from "../settings.ts";
import type { DataExports } from "./data-stack.ts";

export interface ApiStackProps extends StackProps {
  /** The table, its key and the service secret, as the data stack exports them. */
  readonly dataExports: DataExports;
  readonly settings: ServiceSettings;
}

/** `grantReadData`/`grantReadWriteData` also grant the table key's use (decrypt; encrypt for writes). */
const grantTableAccess: Record<TableAccess, (table: dynamodb.ITable, grantee: iam.IGrantable) => iam.Grant> =
  {
    read: (table, grantee) => table.grantReadData(grantee),
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
  if (access === "read-write") {
    acknowledgeNag(
      fn.role,
      "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]",
      "DynamoDB needs data keys from the table's key to write; granted on that one key only.",
    );
    acknowledgeNag(
      fn.role,
      "AwsSolutions-IAM5[Action::kms:ReEncrypt*]",
      "Part of DynamoDB's write grant on the table's customer-managed key; granted on that one key only.",
    );
  }
};

const entryOf = (group: RouteGroup): string =>
  fileURLToPath(new URL(`../../functions/${group}.ts`, import.meta.url));

export class ApiStack extends Stack {
  /** Each route group's function. */
  readonly functions: Readonly<Record<RouteGroup, ServiceFunction>>;
  readonly api: ServiceApi;
  /** The mutual-TLS custom domain, when context names one (apiDomainName, apiCertificateArn). */
  readonly mutualTlsDomain: MutualTlsDomain | undefined;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { settings, dataExports } = props;
    const table = importServiceTable(this, "ServiceTable", dataExports);
    // The full ARN (with Secrets Manager's suffix), so the grant names exactly this secret.
    const serviceSecretArn = Fn.importValue(dataExports.serviceSecretArn);

    const environment = {
      TABLE_NAME: table.tableName,
      POWERTOOLS_SERVICE_NAME: "corporate-ib",
      POWERTOOLS_LOG_LEVEL: settings.logLevel,
      NODE_OPTIONS: "--enable-source-maps",
      SESSION_IDLE_SECONDS: String(settings.sessionIdleSeconds),
      SESSION_MAX_SECONDS: String(settings.sessionMaxSeconds),
      SERVICE_SECRET_ARN: serviceSecretArn,
      // Token secrets and card values are sealed under data keys of the table's key; its use for
      // GenerateDataKey and Decrypt is part of the read-write table grant.
      SECRET_BOX_KMS_KEY_ID: Fn.importValue(dataExports.keyArn),
    };

    const certificateAuthoritySecretArn = Fn.importValue(dataExports.certificateAuthoritySecretArn);

    const functions = {} as Record<RouteGroup, ServiceFunction>;
    for (const group of routeGroups) {
      const spec: FunctionGroupSpec = functionGroups[group];
      const { description, tableAccess } = spec;
      const fn = new ServiceFunction(new Construct(this, group), "Function", {
        entry: entryOf(group),
        description: `corporate-ib ${group}: ${description}`,
        environment: spec.certificateAuthority
          ? { ...environment, CERTIFICATE_AUTHORITY_SECRET_ARN: certificateAuthoritySecretArn }
          : environment,
        logRetention: settings.logRetention,
      });
      grantTableAccess[tableAccess](table, fn);
      acknowledgeTableGrant(fn, tableAccess, dataExports);
      // Read only, and only the value: no DescribeSecret, no other secret.
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ["secretsmanager:GetSecretValue"],
          resources: [serviceSecretArn],
        }),
      );
      if (spec.certificateAuthority) {
        // The CA's key: read, and written once if this function comes first (decision 005). The secret is
        // encrypted with the table's key, whose use the read-write table grant already includes.
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"],
            resources: [certificateAuthoritySecretArn],
          }),
        );
      }
      functions[group] = fn;
    }
    this.functions = functions;

    this.api = new ServiceApi(this, "Api", {
      routes,
      handlers: functions,
      stageName: settings.stageName,
      stageThrottle: settings.stageThrottle,
      publicRouteThrottle: settings.publicRouteThrottle,
      logRetention: settings.logRetention,
    });

    this.mutualTlsDomain = settings.apiDomain
      ? new MutualTlsDomain(this, "MutualTlsDomain", {
          domain: settings.apiDomain,
          restApi: this.api.restApi,
          certificateAuthoritySecretArn,
          certificateAuthorityKeyArn: Fn.importValue(dataExports.keyArn),
          logRetention: settings.logRetention,
        })
      : undefined;

    new CfnOutput(this, "ApiUrl", { value: this.api.restApi.url, description: "Base URL of the API stage" });
  }
}
